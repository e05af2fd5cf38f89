//! HTTP security headers shared by the page shell and the router's middleware.

use http::{HeaderName, HeaderValue, header};

/// The Content-Security-Policy. Scripts run only with the page's nonce (and what they load,
/// through `strict-dynamic`); wasm may be compiled; styles and images come from this origin
/// (images also as `data:` URLs, which the design system's icons use); nothing may frame us.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("script-src 'nonce-{n}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        None => "script-src 'none'".to_owned(),
    };
    format!(
        "default-src 'none'; {script}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; \
         object-src 'none'"
    )
}

/// `Strict-Transport-Security` when it is on (`PORTAL_HSTS`): a year, with subdomains.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The browser features no page of the portal uses, turned off for it and anything it embeds.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), \
     publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), \
     xr-spatial-tracking=(), interest-cohort=()";

/// Headers every response carries, whatever produced it.
pub fn common_headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ]
}

/// Sets the HTML page's CSP (with the nonce Leptos put on its scripts) and `no-store`.
pub fn set_html_headers(nonce: Option<&str>) {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(csp) = HeaderValue::from_str(&content_security_policy(nonce)) {
            res.insert_header(header::CONTENT_SECURITY_POLICY, csp);
        }
        res.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_scripts_only_through_the_nonce() {
        let csp = content_security_policy(Some("abc123"));
        assert!(csp.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn without_a_nonce_no_script_may_run() {
        assert!(content_security_policy(None).contains("script-src 'none'"));
    }
}
