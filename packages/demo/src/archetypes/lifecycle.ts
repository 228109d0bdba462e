import type { UserPool, DemoUser } from '../users.ts';
import type { SessionWriter, Tally } from './session-writer.ts';

/**
 * Consent and erasure around a session. The consent prompt is answered on a user's first visit
 * (granted, declined, or ignored: never given); a revoking user grants first and withdraws on a
 * later visit; an erasing user asks for deletion at the end of a later visit and never returns.
 */
export function writeConsentAtStart(w: SessionWriter, user: DemoUser, pool: UserPool): void {
  const consent = (granted: boolean, tally: Tally) => w.emit('consent', {
    scope: 'training', granted,
    properties: { surface: w.identity.source === 'support-web' ? 'chat_widget_banner' : 'ide_settings', policy_version: '2026-03' },
  }, { session: false, tally });
  if (user.firstSession) {
    if (user.habit === 'granted' || user.habit === 'revokes') consent(true, 'consent_granted');
    else if (user.habit === 'declined') consent(false, 'consent_declined');
    if (w.random.chance(0.4)) w.emit('consent', { scope: 'analytics', granted: user.habit !== 'declined' }, { session: false });
    w.wait(w.random.int(1_000, 8_000));
  } else if (user.habit === 'revokes' && w.random.chance(0.5) && pool.markRevoked(user.index)) {
    consent(false, 'consent_revoked');
    w.wait(w.random.int(1_000, 8_000));
  }
}

export function writeErasureAtEnd(w: SessionWriter, user: DemoUser, pool: UserPool): void {
  if (!user.erases || user.firstSession || !w.random.chance(0.5)) return;
  w.wait(w.random.int(60_000, 86_400_000));
  w.emit('erasure_request', {
    user_id: user.id,
    reason: w.random.pick(['GDPR Art. 17 request via privacy form', 'account deleted by user', `support ticket DSR-${w.random.int(10000, 99999)}`]),
  }, { session: false, tally: 'erasure_request' });
  pool.markErased(user.index);
}
