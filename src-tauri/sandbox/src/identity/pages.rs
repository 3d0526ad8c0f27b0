//! The identity platform's own pages, in its look.

pub(super) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>\
         body{{font-family:'Segoe UI',system-ui,sans-serif;background:#f5f5f5;margin:0;padding:48px}}\
         main{{max-width:440px;margin:auto;background:#fff;padding:32px;box-shadow:0 2px 8px #0002}}\
         h1{{font-size:24px;font-weight:600}} button{{display:block;width:100%;text-align:left;margin:8px 0;padding:12px;\
         border:1px solid #d1d1d1;background:#fff;font:inherit;cursor:pointer}} button:hover,button:focus{{border-color:#0f6cbd}}\
         .cancel{{text-align:center}} .error{{color:#b10e1c;white-space:pre-wrap}} label{{display:block;margin:12px 0}}\
         input,select{{display:block;width:100%;padding:8px;font:inherit;box-sizing:border-box}}</style></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    )
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
