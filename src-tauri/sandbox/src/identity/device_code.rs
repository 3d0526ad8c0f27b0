//! The device code flow: the code, its polling rules, and the device-login page.

use super::*;

pub(super) async fn device_code(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(form): Form<Params>,
) -> Response {
    let get = |name: &str| form.get(name).map(String::as_str);
    let created: Result<(String, String, u64), AadError> = (|| {
        let mut state = shared.lock();
        check_tenant(&state, &tenant)?;
        let client_id = check_client(get("client_id"))?;
        let scopes = check_scopes(&state, &shared.base_url, get("scope"))?;
        let user_code: String = (0..9)
            .map(|_| b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[state.ids.below(32)] as char)
            .collect();
        let device_code = state.ids.token(64);
        let expires_at = state.now() + DEVICE_CODE_LIFETIME_SECS;
        let interval = state.auth.device_code_interval.unwrap_or(DEVICE_CODE_INTERVAL_SECS);
        state.auth.devices.push(DeviceGrant {
            device_code: device_code.clone(),
            user_code: user_code.clone(),
            client_id,
            scopes,
            expires_at,
            last_poll: None,
            decision: Decision::Pending,
        });
        Ok((device_code, user_code, interval))
    })();
    match created {
        Ok((device_code, user_code, interval)) => {
            let uri = format!("{}/devicelogin", shared.base_url);
            Json(json!({
                "user_code": user_code,
                "device_code": device_code,
                "verification_uri": uri,
                "expires_in": DEVICE_CODE_LIFETIME_SECS,
                "interval": interval,
                "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
            }))
            .into_response()
        }
        Err(error) => error.json(&shared),
    }
}

pub fn decide_device_code(state: &mut SandboxState, user_code: &str, upn: Option<&str>) -> bool {
    let user = upn.and_then(|upn| state.directory.user(upn)).map(|u| u.user_principal_name.clone());
    let now = state.now();
    let Some(device) = state
        .auth
        .devices
        .iter_mut()
        .find(|d| d.user_code.eq_ignore_ascii_case(user_code.trim()) && d.expires_at > now)
    else {
        return false;
    };
    device.decision = match (upn, user) {
        (None, _) => Decision::Declined,
        (Some(_), Some(upn)) => Decision::Approved(upn),
        (Some(_), None) => return false,
    };
    true
}

pub(super) async fn device_login_page(State(shared): State<Arc<Shared>>) -> Html<String> {
    let options: String = shared
        .lock()
        .directory
        .admins()
        .map(|u| {
            format!(
                "<option value=\"{0}\">{1} ({0})</option>",
                escape(&u.user_principal_name),
                escape(&u.display_name)
            )
        })
        .collect();
    Html(page("Enter code", &format!(
        "<p>Enter the code shown in Rehome to sign in to the <strong>sample directory</strong>.</p>\
         <form method=\"post\"><label>Code <input name=\"user_code\" autocomplete=\"off\" autofocus></label>\
         <label>Account <select name=\"upn\">{options}</select></label>\
         <button name=\"decision\" value=\"approve\">Sign in</button><button name=\"decision\" value=\"decline\" class=\"cancel\">Decline</button></form>"
    )))
}

pub(super) async fn device_login(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<Params>,
) -> Html<String> {
    let code = form.get("user_code").map(String::as_str).unwrap_or_default();
    let approve = form.get("decision").map(String::as_str) == Some("approve");
    let upn = form.get("upn").map(String::as_str).filter(|_| approve);
    let done = decide_device_code(&mut shared.lock(), code, upn);
    let text = match (done, approve) {
        (true, true) => "You are signed in. Return to Rehome; you can close this tab.",
        (true, false) => "Sign-in was declined. You can close this tab.",
        (false, _) => {
            "That code is not valid or has expired. Check the code shown in Rehome and try again."
        }
    };
    Html(page("Sample directory", &format!("<p>{text}</p>")))
}
