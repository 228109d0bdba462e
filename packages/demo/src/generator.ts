import { SluiceError } from '@sluice/core';
import { writeCodingSession } from './archetypes/coding-session.ts';
import { writeConsentAtStart, writeErasureAtEnd } from './archetypes/lifecycle.ts';
import { SessionWriter, type SessionIdentity, type Tally, type TimedRecord } from './archetypes/session-writer.ts';
import { writeSupportSession } from './archetypes/support-session.ts';
import { completionTask, type CompletionTask } from './content/code-completions.ts';
import { person, type Person } from './content/people.ts';
import { faqScript, nearDuplicate } from './content/support-faq.ts';
import { supportScript, type SupportScript } from './content/support-script.ts';
import { hexId } from './ids.ts';
import { corrupt } from './invalid.ts';
import { PromptEcho, echoKind } from './prompt-echo.ts';
import { createRandom, deriveSeed, seedFrom, type Random } from './random.ts';
import { emptyStats, type DemoRecord, type PlantedValue, type TrafficStats } from './types.ts';
import { LOCALES, UserPool, type ConsentHabit } from './users.ts';

export interface TrafficOptions {
  /** Exactly this many events are produced (the last sessions are cut where the count is reached). */
  events: number;
  /** Integer or any text; the same seed gives the same events, byte for byte. Default 42. */
  seed?: number | string;
  /** Simulated time of the first session (ms or RFC 3339). Default 2026-10-01T08:00:00Z. */
  start?: number | string;
  /** Sessions start spread over this many simulated days. Default 28. */
  spanDays?: number;
  /** Share of sessions that are support chats; the rest are IDE sessions (longer). Default 0.78. */
  supportShare?: number;
  /** Share of events sent deliberately invalid. Default 0.01. */
  invalidRate?: number;
  /** Share of events sent twice (a client retry with the same event_id). Default 0.002. */
  resendRate?: number;
  /** Share of first prompts that repeat an earlier one verbatim / lightly edited. Default 0.03 / 0.04. */
  duplicateRates?: { exact: number; near: number };
  /** Sessions in progress at once; their events interleave. Default 24. */
  concurrentSessions?: number;
  /** Called once for every planted value, in the order its first event is produced. */
  onPlanted?: (value: PlantedValue) => void;
}

export interface Traffic {
  /** Single pass, lazily generated: memory stays bounded at any size. */
  records: Iterable<DemoRecord>;
  /** Filled in while `records` is consumed. */
  stats: TrafficStats;
}

export const DEFAULT_START = Date.parse('2026-10-01T08:00:00Z');
const SUPPORT_HABITS: ReadonlyArray<readonly [number, ConsentHabit]> = [[50, 'granted'], [8, 'revokes'], [7, 'declined'], [35, 'never']];
const CODING_HABITS: ReadonlyArray<readonly [number, ConsentHabit]> = [[30, 'granted'], [6, 'revokes'], [4, 'declined'], [60, 'never']];

/** Synthetic usage of two products — a support assistant and a coding assistant — as one interleaved event stream. */
export function generateTraffic(options: TrafficOptions): Traffic {
  if (!Number.isSafeInteger(options.events) || options.events < 0) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `events must be a non-negative integer, got ${options.events}`);
  for (const [name, value] of [['supportShare', options.supportShare], ['invalidRate', options.invalidRate], ['resendRate', options.resendRate]] as const) {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `${name} must be between 0 and 1, got ${value}`);
  }
  if (options.start !== undefined && Number.isNaN(typeof options.start === 'string' ? Date.parse(options.start) : options.start)) {
    throw new SluiceError('SLUICE_ERR_INPUT_INVALID', `start must be epoch milliseconds or an RFC 3339 date-time, got ${options.start}`);
  }
  const stats = emptyStats();
  return { records: run(options, stats), stats };
}

function* run(options: TrafficOptions, stats: TrafficStats): Generator<DemoRecord> {
  const total = options.events;
  const seed = seedFrom(options.seed ?? 42);
  const start = typeof options.start === 'string' ? Date.parse(options.start) : options.start ?? DEFAULT_START;
  const spanMs = (options.spanDays ?? 28) * 86_400_000;
  const supportShare = options.supportShare ?? 0.78;
  const invalidRate = options.invalidRate ?? 0.01;
  const resendRate = options.resendRate ?? 0.002;
  const echoRates = options.duplicateRates ?? { exact: 0.03, near: 0.04 };
  const global = createRandom(deriveSeed(seed, 0x5eed));
  const support = new UserPool(seed, 'support-web', Math.max(10, Math.round((total * supportShare) / 30)), SUPPORT_HABITS, 0.03);
  const coding = new UserPool(seed, 'coding-ide', Math.max(5, Math.round((total * (1 - supportShare)) / 60)), CODING_HABITS, 0.01);
  const faqEcho = new PromptEcho<SupportScript>();
  const completionEcho = new PromptEcho<CompletionTask>();
  let sessionIndex = 0;
  let emitted = 0;

  const newSession = (): { records: TimedRecord[]; next: number } => {
    const random = createRandom(deriveSeed(seed, 7, sessionIndex++));
    const at = start + (emitted / Math.max(1, total)) * spanMs + random.int(0, 60_000);
    const isSupport = random.chance(supportShare);
    const pool = isSupport ? support : coding;
    const user = isSupport && random.chance(0.1) ? null : pool.pick(random);
    const identity: SessionIdentity = {
      source: pool.source,
      ...(user ? { userId: user.id } : { anonymousId: `anon_${hexId(random, 16)}` }),
      sessionId: isSupport ? `conv_${hexId(random, 12)}` : `${random.pick(['vscode', 'jetbrains', 'nvim'])}-${hexId(random, 10)}`,
      context: isSupport
        ? { sdk: { name: 'sluice-js', version: '0.3.2' }, app_version: 'helpdesk-widget-2.8.1', locale: user?.locale ?? random.pick(LOCALES) }
        : { sdk: { name: 'sluice-js', version: '0.3.2' }, app_version: random.pick(['1.14.2', '1.15.0']), editor: random.pick(['vscode', 'jetbrains', 'neovim']) },
    };
    const w = new SessionWriter(random, identity, at);
    if (user) writeConsentAtStart(w, user, pool);
    if (isSupport) writeSupportSession(w, supportScriptFor(random, w, user?.name ?? person(random), faqEcho, echoRates));
    else writeCodingSession(w, { nextCompletion: () => completionFor(random, completionEcho, echoRates) });
    if (user) writeErasureAtEnd(w, user, pool);
    return { records: w.records, next: 0 };
  };

  const active = Array.from({ length: options.concurrentSessions ?? 24 }, newSession);
  const resends: Array<{ due: number; record: DemoRecord }> = [];
  while (emitted < total) {
    let record: DemoRecord;
    if (resends.length > 0 && resends[0]!.due <= emitted) {
      record = { ...resends.shift()!.record, resend: true };
      stats.resends++;
    } else {
      let slot = 0;
      for (let i = 1; i < active.length; i++) if (active[i]!.records[active[i]!.next]!.at < active[slot]!.records[active[slot]!.next]!.at) slot = i;
      const session = active[slot]!;
      const timed = session.records[session.next++]!;
      if (session.next === 1) stats.sessions[timed.record.source]++;
      if (session.next === session.records.length) active[slot] = nextNonEmpty(newSession);
      record = timed.record;
      for (const planted of timed.planted) {
        stats.planted[planted.type] = (stats.planted[planted.type] ?? 0) + 1;
        options.onPlanted?.(planted);
      }
      const broken = global.chance(invalidRate) ? corrupt(global, record.event) : null;
      if (broken) {
        record = { ...record, event: broken.event, invalid: broken.reason };
        stats.invalid[broken.reason] = (stats.invalid[broken.reason] ?? 0) + 1;
      } else {
        if (timed.tally) tally(stats, timed.tally);
        if (global.chance(resendRate)) resends.push({ due: emitted + global.int(5, 400), record });
      }
    }
    stats.events++;
    stats.bySource[record.source]++;
    const type = String(record.event.type);
    stats.byType[type] = (stats.byType[type] ?? 0) + 1;
    emitted++;
    yield record;
  }
  stats.users['support-web'] = support.seen;
  stats.users['coding-ide'] = coding.seen;
}

/** Counted when the event is produced valid, so the stats describe what was sent, not what was planned. */
function tally(stats: TrafficStats, what: Tally): void {
  if (what === 'erasure_request') stats.erasureRequests++;
  else if (what === 'duplicate_exact' || what === 'duplicate_near') stats.duplicatePrompts[what === 'duplicate_exact' ? 'exact' : 'near']++;
  else stats.consent[what === 'consent_granted' ? 'granted' : what === 'consent_revoked' ? 'revoked' : 'declined']++;
}

function nextNonEmpty(make: () => { records: TimedRecord[]; next: number }): { records: TimedRecord[]; next: number } {
  for (;;) {
    const session = make();
    if (session.records.length > 0) return session;
  }
}

function supportScriptFor(random: Random, w: SessionWriter, customer: Person, echo: PromptEcho<SupportScript>, rates: { exact: number; near: number }): SupportScript {
  const kind = echoKind(random, rates);
  const earlier = kind ? echo.recall(random) : undefined;
  if (kind && earlier) {
    const [first, ...rest] = earlier.turns;
    return { ...earlier, echo: kind, turns: [{ ...first!, user: kind === 'near' ? nearDuplicate(random, first!.user) : first!.user }, ...rest] };
  }
  if (random.chance(0.16)) {
    const faq = faqScript(random);
    echo.remember(faq);
    return faq;
  }
  return supportScript(random, w.plants, customer);
}

function completionFor(random: Random, echo: PromptEcho<CompletionTask>, rates: { exact: number; near: number }): CompletionTask {
  const kind = echoKind(random, rates);
  const earlier = kind ? echo.recall(random) : undefined;
  if (kind && earlier) {
    if (kind === 'exact') return { ...earlier, echo: 'exact' };
    // The developer typed a line elsewhere in the file and the completion fired again.
    const lines = earlier.context.split('\n');
    lines.splice(Math.min(1, lines.length), 0, random.pick(['// TODO: remove after the migration', '# noqa', '', '// eslint-disable-next-line no-console']));
    return { ...earlier, context: lines.join('\n'), echo: 'near' };
  }
  const task = completionTask(random);
  echo.remember(task);
  return task;
}
