//! The token endpoint: code redemption (PKCE checked, single use), refresh with rotation, device
//! code polling; and the tokens it signs.

use super::*;

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(form): Form<Params>,
) -> Response {
    match redeem(&shared, &tenant, &form) {
        Ok(body) => {
            (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(error) => error.json(&shared),
    }
}

pub(super) fn redeem(shared: &Shared, tenant: &str, form: &Params) -> Result<Value, AadError> {
    let get = |name: &str| form.get(name).map(String::as_str);
    let mut state = shared.lock();
    check_tenant(&state, tenant)?;
    let client_id = check_client(get("client_id")).map_err(AadError::unauthorized)?;
    if get("client_secret").is_some() || get("client_assertion").is_some() {
        return Err(aad("invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.").unauthorized());
    }
    let now = state.now();
    let grant = match get("grant_type") {
        Some("authorization_code") => {
            let code = get("code").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code'.",
                )
            })?;
            let verifier = get("code_verifier").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code_verifier'.",
                )
            })?;
            let entry = state.auth.codes.get_mut(code).ok_or_else(|| aad("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the authorization code is not valid."))?;
            if entry.redeemed {
                return Err(aad("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."));
            }
            if entry.expires_at <= now {
                return Err(aad("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."));
            }
            if get("redirect_uri") != Some(entry.redirect_uri.as_str()) {
                return Err(aad("invalid_grant", 500112, "The reply address does not match the reply address used in the authorization request."));
            }
            if B64.encode(Sha256::digest(verifier.as_bytes())) != entry.challenge {
                return Err(aad("invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."));
            }
            entry.redeemed = true;
            entry.grant.clone()
        }
        Some("refresh_token") => {
            let token = get("refresh_token").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'refresh_token'.",
                )
            })?;
            // Rotation: the token used now stops working; the response carries its successor.
            let revoked = || {
                aad("invalid_grant", 70008, "The refresh token has expired or was revoked. Send a new interactive authorization request for this user and resource.")
            };
            let claims = token
                .strip_prefix("0.")
                .and_then(|jwt| shared.signer.verify(jwt, now).ok())
                .filter(|claims| claims["aud"] == REFRESH_AUDIENCE)
                .ok_or_else(revoked)?;
            let grant: Grant =
                serde_json::from_value(claims["grant"].clone()).map_err(|_| revoked())?;
            let jti = claims["jti"].as_str().unwrap_or_default().to_owned();
            if !state.auth.redeemed_refresh_tokens.insert(jti) {
                return Err(revoked());
            }
            grant
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            if state.auth.public_client_flows_disabled {
                return Err(aad("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").unauthorized());
            }
            let code = get("device_code").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'device_code'.",
                )
            })?;
            poll_device_code(&mut state, code, now)?
        }
        _ => {
            return Err(aad(
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type.",
            ))
        }
    };
    if grant.client_id != client_id {
        return Err(aad(
            "invalid_grant",
            70000,
            "The provided grant was issued to another client.",
        ));
    }
    Ok(token_response(shared, &mut state, &grant))
}

pub(super) fn poll_device_code(
    state: &mut SandboxState,
    device_code: &str,
    now: u64,
) -> Result<Grant, AadError> {
    let index = state
        .auth
        .devices
        .iter()
        .position(|d| d.device_code == device_code)
        .ok_or_else(|| aad("bad_verification_code", 70018, "The device code is not valid."))?;
    let interval = state.auth.device_code_interval.unwrap_or(DEVICE_CODE_INTERVAL_SECS);
    let device = &mut state.auth.devices[index];
    if device.expires_at <= now {
        return Err(aad("expired_token", 70019, "Verification code expired."));
    }
    let too_soon = device.last_poll.is_some_and(|last| now < last + interval);
    device.last_poll = Some(now);
    match device.decision.clone() {
        Decision::Declined => Err(aad("authorization_declined", 70000, "The end user denied the authorization request.")),
        Decision::Approved(upn) => {
            let grant = Grant { upn, scopes: device.scopes.clone(), client_id: device.client_id.clone(), nonce: None };
            state.auth.devices.remove(index);
            Ok(grant)
        }
        Decision::Pending if too_soon => Err(aad("slow_down", 70016, "OAuth 2.0 device flow error. Polling too often: wait the interval before polling again.")),
        Decision::Pending => Err(aad("authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")),
    }
}

pub(super) fn token_response(shared: &Shared, state: &mut SandboxState, grant: &Grant) -> Value {
    // The token carries every consented permission of the resource, not only those requested.
    let mut graph = graph_scopes(&grant.scopes);
    let consented = state.auth.app.consented.clone();
    for scope in &consented {
        if !graph.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
            graph.push(scope.as_str());
        }
    }
    let access_token =
        sign_access_token(shared, state, &grant.upn, &graph, &grant.client_id).unwrap_or_default();
    keep_bounded(&mut state.auth.issued, access_token.clone());
    let mut scope: Vec<String> = graph.iter().map(|s| format!("{GRAPH_RESOURCE}{s}")).collect();
    scope.extend(grant.scopes.iter().filter(|s| OIDC_SCOPES.contains(&s.as_str())).cloned());
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope.join(" "),
        "expires_in": ACCESS_TOKEN_LIFETIME_SECS,
        "ext_expires_in": ACCESS_TOKEN_LIFETIME_SECS,
        "access_token": access_token,
    });
    if grant.scopes.iter().any(|s| s == "offline_access") {
        let now = state.now();
        let refresh = format!(
            "0.{}",
            shared.signer.sign(&json!({
                "aud": REFRESH_AUDIENCE, "jti": state.ids.token(32), "grant": grant,
                "exp": now + REFRESH_TOKEN_LIFETIME_SECS,
            }))
        );
        keep_bounded(&mut state.auth.issued, refresh.clone());
        body["refresh_token"] = json!(refresh);
    }
    if grant.scopes.iter().any(|s| s == "openid") {
        if let Some(user) = state.directory.user(&grant.upn) {
            let now = state.now();
            let mut claims = json!({
                "aud": grant.client_id, "iss": format!("{}/{}/v2.0", shared.base_url, state.directory.tenant_id),
                "iat": now, "nbf": now, "exp": now + ACCESS_TOKEN_LIFETIME_SECS, "tid": state.directory.tenant_id,
                "oid": user.id, "name": user.display_name, "preferred_username": user.user_principal_name, "ver": "2.0",
            });
            if let Some(nonce) = &grant.nonce {
                claims["nonce"] = json!(nonce);
            }
            if state.auth.app.emits_wids() {
                claims["wids"] = json!(wids(state, &user.id));
            }
            let id_token = shared.signer.sign(&claims);
            keep_bounded(&mut state.auth.issued, id_token.clone());
            body["id_token"] = json!(id_token);
        }
    }
    body
}

/// Template ids of the user's active roles (direct and through groups) and the member role.
pub(super) fn wids(state: &SandboxState, user_id: &str) -> Vec<&'static str> {
    let active = state.directory.active_roles(user_id);
    let mut ids: Vec<&'static str> = state
        .directory
        .roles
        .iter()
        .filter(|r| active.contains(&r.name))
        .map(|r| r.template_id)
        .collect();
    ids.push(crate::directory::MEMBER_ROLE_TEMPLATE_ID);
    ids
}

pub fn sign_access_token(
    shared: &Shared,
    state: &SandboxState,
    upn: &str,
    scopes: &[&str],
    client_id: &str,
) -> Option<String> {
    let user = state.directory.user(upn)?;
    let now = state.now();
    let role_ids = wids(state, &user.id);
    let claims = json!({
        "aud": "https://graph.microsoft.com", "iss": format!("{}/{}/v2.0", shared.base_url, state.directory.tenant_id),
        "iat": now, "nbf": now, "exp": now + ACCESS_TOKEN_LIFETIME_SECS,
        "tid": state.directory.tenant_id, "oid": user.id, "upn": user.user_principal_name,
        "name": user.display_name, "appid": client_id, "scp": scopes.join(" "), "wids": role_ids, "ver": "1.0",
    });
    Some(shared.signer.sign(&claims))
}
