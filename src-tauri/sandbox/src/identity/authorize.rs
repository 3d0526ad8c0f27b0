//! `authorize` and the sign-in page where the admin picks a sample account.

use super::*;

pub(super) async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let get = |name: &str| params.get(name).map(String::as_str);
    // Until client and redirect URI are trusted, errors stay in the browser.
    let trusted = {
        let state = shared.lock();
        check_client(get("client_id")).and_then(|client| {
            let redirect = check_redirect_uri(&state.auth.app, get("redirect_uri"))?;
            check_tenant(&state, &tenant)?;
            Ok((client, redirect))
        })
    };
    let (client_id, redirect_uri) = match trusted {
        Ok(trusted) => trusted,
        Err(error) => return error.page(&shared),
    };
    let app_state = get("state");
    let checked = (|| {
        if get("response_type") != Some("code") {
            return Err(aad("unsupported_response_type", 70005, "The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'."));
        }
        let challenge = get("code_challenge").ok_or_else(|| {
            aad("invalid_request", 9002325, "Proof Key for Code Exchange is required. The request must contain 'code_challenge'.")
        })?;
        if get("code_challenge_method") != Some("S256") {
            return Err(aad("invalid_request", 50149, "The code_challenge_method must be 'S256'."));
        }
        if challenge.len() != 43 || B64.decode(challenge).is_err() {
            return Err(aad(
                "invalid_request",
                501491,
                "Invalid size of Code_Challenge parameter.",
            ));
        }
        let scopes = check_scopes(&shared.lock(), &shared.base_url, get("scope"))?;
        Ok(PendingSignIn {
            grant: Grant {
                upn: String::new(),
                scopes,
                client_id: client_id.clone(),
                nonce: get("nonce").map(str::to_owned),
            },
            redirect_uri: redirect_uri.clone(),
            challenge: challenge.to_owned(),
            state: app_state.map(str::to_owned),
        })
    })();
    let pending = match checked {
        Ok(pending) => pending,
        Err(error) => return error.redirect(&shared, &redirect_uri, app_state),
    };
    let automatic = shared.lock().auth.auto_sign_in.clone();
    if let Some(upn) = automatic {
        return complete_sign_in(&shared, pending, &upn);
    }
    if get("prompt") == Some("none") {
        return aad(
            "login_required",
            50058,
            "A silent sign-in request was sent but no user is signed in.",
        )
        .redirect(&shared, &redirect_uri, app_state);
    }
    let (session, admins) = {
        let mut state = shared.lock();
        let session = state.ids.token(18);
        state.auth.sessions.insert(session.clone(), pending);
        let admins: Vec<(String, String, String)> = state
            .directory
            .admins()
            .map(|u| {
                (
                    u.user_principal_name.clone(),
                    u.display_name.clone(),
                    u.roles.first().copied().unwrap_or("No directory role").to_owned(),
                )
            })
            .collect();
        (session, admins)
    };
    let hint = get("login_hint").unwrap_or_default();
    let buttons: String = admins
        .iter()
        .map(|(upn, name, role)| {
            let autofocus = if upn.eq_ignore_ascii_case(hint) { " autofocus" } else { "" };
            format!(
                "<button name=\"upn\" value=\"{}\" data-upn=\"{}\"{autofocus}><strong>{}</strong><br><small>{} · {}</small></button>",
                escape(upn), escape(upn), escape(name), escape(upn), escape(role)
            )
        })
        .collect();
    let body = format!(
        "<p>This is the <strong>sample directory</strong>: a practice organisation inside Rehome. No real account is used and nothing reaches Microsoft.</p>\
         <p>Pick an account to continue:</p>\
         <form method=\"post\"><input type=\"hidden\" name=\"session\" value=\"{session}\">{buttons}\
         <button name=\"upn\" value=\"\" class=\"cancel\">Cancel</button></form>"
    );
    Html(page("Sign in to Contoso (sample)", &body)).into_response()
}

pub(super) async fn sign_in(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<Params>,
) -> Response {
    let pending =
        form.get("session").and_then(|session| shared.lock().auth.sessions.remove(session));
    let Some(pending) = pending else {
        return aad(
            "invalid_request",
            90014,
            "The sign-in session has expired or was already used. Start again from the app.",
        )
        .page(&shared);
    };
    match form.get("upn").map(String::as_str) {
        Some(upn) if !upn.is_empty() => complete_sign_in(&shared, pending, upn),
        _ => aad("access_denied", 65004, "User declined to consent to access the app.").redirect(
            &shared,
            &pending.redirect_uri,
            pending.state.as_deref(),
        ),
    }
}

pub(super) fn complete_sign_in(shared: &Shared, mut pending: PendingSignIn, upn: &str) -> Response {
    let mut state = shared.lock();
    let Some(user) = state.directory.user(upn).filter(|u| u.is_member()) else {
        drop(state);
        return aad(
            "invalid_request",
            50034,
            format!("The user account {upn} does not exist in the 'Contoso (sample)' directory."),
        )
        .redirect(shared, &pending.redirect_uri, pending.state.as_deref());
    };
    pending.grant.upn = user.user_principal_name.clone();
    let code = state.ids.token(48);
    let expires_at = state.now() + CODE_LIFETIME_SECS;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("code", &code);
    if let Some(app_state) = &pending.state {
        query.append_pair("state", app_state);
    }
    let location = format!("{}?{}", pending.redirect_uri, query.finish());
    state.auth.codes.insert(
        code,
        CodeGrant {
            grant: pending.grant,
            redirect_uri: pending.redirect_uri,
            challenge: pending.challenge,
            expires_at,
            redeemed: false,
        },
    );
    Redirect::to(&location).into_response()
}
