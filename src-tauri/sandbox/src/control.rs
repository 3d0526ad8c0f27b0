//! The sandbox's control panel, for tests, the demo and benchmarks: faults, latency, counters,
//! redemption, device-code approval, consent, and a clock that can be moved forward.

use std::{sync::Arc, time::Duration};

use serde_json::Value;

use crate::{faults::FaultRule, graph, identity, state::Shared};

/// One HTTP request the sandbox answered (a `$batch` item counts as a request, not a round trip).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    pub in_batch: bool,
    /// The calling application (`appid` of its token), or `anonymous`.
    pub client: String,
    /// What a write sent (JSON as text), so tests can check the exact body that arrived.
    pub body: Option<String>,
}

#[derive(Clone)]
pub struct Control(Arc<Shared>);

impl Control {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Control(shared)
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        self.0.clone()
    }

    pub fn tenant_id(&self) -> String {
        self.0.lock().directory.tenant_id.clone()
    }

    // --- Network and service behaviour.

    pub fn add_fault(&self, rule: FaultRule) {
        self.0.lock().faults.push(rule);
    }

    pub fn clear_faults(&self) {
        self.0.lock().faults.clear();
    }

    pub fn set_latency(&self, fixed: Duration, jitter: Duration) {
        let mut state = self.0.lock();
        state.latency_ms = fixed.as_millis() as u64;
        state.jitter_ms = jitter.as_millis() as u64;
    }

    // --- Counters.

    pub fn requests(&self) -> Vec<RequestRecord> {
        self.0.lock().log.clone()
    }

    /// HTTP requests clients actually sent (batch items excluded).
    pub fn round_trips(&self) -> usize {
        self.0.lock().log.iter().filter(|r| !r.in_batch).count()
    }

    pub fn clear_log(&self) {
        self.0.lock().log.clear();
    }

    // --- Sign-in.

    /// Sign in as this admin (UPN) without the sign-in page; None shows the page again.
    pub fn set_auto_sign_in(&self, upn: Option<&str>) {
        self.0.lock().auth.auto_sign_in = upn.map(str::to_owned);
    }

    /// Approves a device code as if the admin entered it on the device-login page.
    pub fn approve_device_code(&self, user_code: &str, upn: &str) -> bool {
        identity::decide_device_code(&mut self.0.lock(), user_code, Some(upn))
    }

    pub fn decline_device_code(&self, user_code: &str) -> bool {
        identity::decide_device_code(&mut self.0.lock(), user_code, None)
    }

    /// Admin consent was never granted for this scope (e.g. `Domain.Read.All`): it leaves the
    /// app registration's consented permissions.
    pub fn withhold_consent(&self, scope: &str) {
        self.0.lock().auth.app.consented.retain(|s| !s.eq_ignore_ascii_case(scope));
    }

    /// Admin consent granted for one more delegated Graph permission.
    pub fn grant_consent(&self, scope: &str) {
        let mut state = self.0.lock();
        if !state.auth.app.consented.iter().any(|s| s.eq_ignore_ascii_case(scope)) {
            state.auth.app.consented.push(scope.to_owned());
        }
    }

    /// The app registration's redirect URIs (default `["http://localhost"]`).
    pub fn set_redirect_uris(&self, uris: &[&str]) {
        self.0.lock().auth.app.redirect_uris = uris.iter().map(|u| (*u).to_owned()).collect();
    }

    /// The app registration's `groupMembershipClaims`: "None", "DirectoryRole", "All", … Any
    /// value naming directory roles puts `wids` in the ID token.
    pub fn set_group_membership_claims(&self, value: &str) {
        self.0.lock().auth.app.group_membership_claims = value.to_owned();
    }

    /// "Allow public client flows" off: the device-code flow answers AADSTS7000218.
    pub fn set_public_client_flows(&self, allowed: bool) {
        self.0.lock().auth.public_client_flows_disabled = !allowed;
    }

    /// The device-code polling interval, advertised and enforced (tests use 1 s instead of 5).
    pub fn set_device_code_interval(&self, seconds: u64) {
        self.0.lock().auth.device_code_interval = Some(seconds);
    }

    /// A valid access token for this admin carrying exactly these scopes, without the sign-in
    /// dance (consent is not consulted, so tests can make any token).
    pub fn access_token(&self, upn: &str, scopes: &[&str]) -> Option<String> {
        identity::sign_access_token(
            &self.0,
            &self.0.lock(),
            upn,
            scopes,
            identity::SANDBOX_CLIENT_ID,
        )
    }

    /// Every access, ID and refresh token the identity platform has issued so far.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.0.lock().auth.issued.clone()
    }

    /// Moves the sandbox's clock forward: codes and tokens expire without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.0.lock().clock_offset += by;
    }

    /// How long a `mail` set by PATCH stays invisible to the invitation service (§11.4).
    pub fn set_mail_propagation(&self, delay: Duration) {
        self.0.lock().mail_propagation = delay;
    }

    // --- The directory.

    /// The user as `GET /users/{id}?$select=<everything>` would return it.
    pub fn user(&self, id_or_upn: &str) -> Option<Value> {
        self.0.lock().directory.user(id_or_upn).map(|u| Value::Object(u.to_graph()))
    }

    pub fn user_id(&self, upn: &str) -> Option<String> {
        self.0.lock().directory.user(upn).map(|u| u.id.clone())
    }

    /// Redeems the user's pending invitation now (identities switch to the external issuer).
    pub fn accept_invitation(&self, user_id: &str) -> bool {
        graph::invitations::accept(&mut self.0.lock(), user_id)
    }

    /// Microsoft's abuse protection: after `count` more invitations every further one is
    /// refused with the 403 "blocked … due to suspicious activity" (`None` lifts the block).
    pub fn block_invitations_after(&self, count: Option<u32>) {
        self.0.lock().invitations_blocked_after = count;
    }

    /// Redeems every invitation sent from now on, `after` it was sent.
    pub fn accept_invitations_after(&self, after: Duration) {
        self.0.lock().auto_redeem_after_secs = Some(after.as_secs());
    }
}
