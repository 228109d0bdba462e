import { numberAttr, stringAttr } from './attributes.ts';
import { setDefined, type JsonObject } from './messages.ts';
import type { OtlpSpanRecord } from './model.ts';
import { generationIdOf, isoFromNanos, otlpEventId, spanIdentity } from './span-identity.ts';

export const EVALUATION_EVENT_NAME = 'gen_ai.evaluation.result';

/**
 * Maps `gen_ai.evaluation.result` span events to `feedback` events. The evaluated generation is
 * the event's `gen_ai.response.id` when it names one, otherwise the span the event is attached to
 * (semconv parents an evaluation to the operation it evaluates).
 *
 *   gen_ai.evaluation.score.value → kind `rating`, value (the score, on the evaluator's scale)
 *   gen_ai.evaluation.score.label → kind `rating`, value (when there is no numeric score)
 *   gen_ai.evaluation.explanation → comment (kind `comment` when there is no score or label)
 *   gen_ai.evaluation.name        → properties.evaluation.name
 *
 * An evaluation with neither score, label nor explanation (one that failed with `error.type`)
 * carries no feedback and maps to nothing.
 */
export function mapEvaluationEvents(record: OtlpSpanRecord): JsonObject[] {
  const { span } = record;
  const feedback: JsonObject[] = [];
  span.events.forEach((event, index) => {
    if (event.name !== EVALUATION_EVENT_NAME) return;
    const attrs = event.attributes;
    const score = numberAttr(attrs, 'gen_ai.evaluation.score.value');
    const label = stringAttr(attrs, 'gen_ai.evaluation.score.label');
    const explanation = stringAttr(attrs, 'gen_ai.evaluation.explanation');
    if (score === undefined && label === undefined && explanation === undefined) return;

    const out: JsonObject = { event_id: otlpEventId(span.traceId, span.spanId, 'evaluation', String(index)), type: 'feedback' };
    setDefined(out, 'occurred_at', isoFromNanos(event.timeUnixNano) ?? isoFromNanos(span.endTimeUnixNano));
    Object.assign(out, spanIdentity(record));
    if (span.spanId) out.parent_id = span.spanId;
    out.target = { generation_id: stringAttr(attrs, 'gen_ai.response.id') ?? generationIdOf(record) };
    out.kind = score !== undefined || label !== undefined ? 'rating' : 'comment';
    setDefined(out, 'value', score ?? label);
    setDefined(out, 'comment', explanation);
    const evaluation: JsonObject = {};
    setDefined(evaluation, 'name', stringAttr(attrs, 'gen_ai.evaluation.name'));
    setDefined(evaluation, 'score_label', score !== undefined ? label : undefined);
    out.properties = { evaluation, otel: { span_id: span.spanId, span_name: span.name } };
    feedback.push(out);
  });
  return feedback;
}
