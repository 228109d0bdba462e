import { mapEvaluationEvents } from './map-evaluation-event.ts';
import { mapGenAiSpan } from './map-genai-span.ts';
import type { JsonObject } from './messages.ts';
import type { OtlpSpanRecord } from './model.ts';

/**
 * The candidate events of one span: its model call as a `generation`, then its evaluation
 * results as `feedback`. No events means the span is ignored (an HTTP or database span, an agent
 * or tool span, an embedding call).
 */
export function mapSpanToEvents(record: OtlpSpanRecord): JsonObject[] {
  const generation = mapGenAiSpan(record);
  return [...(generation ? [generation] : []), ...mapEvaluationEvents(record)];
}
