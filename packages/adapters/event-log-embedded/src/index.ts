export { createGroupCommitEventLog, type GroupCommitObserver, type GroupCommitOptions } from './group-commit-event-log.ts';
export { appendRefusal } from './append-refusal.ts';
