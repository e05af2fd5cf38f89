//! Time-based one-time codes (TOTP, RFC 6238) as the second factor: 6 digits, 30-second steps,
//! HMAC-SHA-1 (what authenticator apps support), one step of clock skew either way. The QR code
//! for enrolment is rendered as SVG on the server.

use totp_rs::{Builder, Secret, Totp};

/// The issuer shown in the authenticator app.
pub const ISSUER: &str = "Reetableringsportalen";

/// A new random secret (160 bits), base32 without padding, as stored.
pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

fn totp(secret: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .ok()
}

/// The time step a code belongs to, if `code` is right for `secret` at `unix_time` (or one step
/// before or after). The caller must accept each step only once.
pub fn check(secret: &str, code: &str, unix_time: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let time = u64::try_from(unix_time).ok()?;
    let step = totp(secret, "-")?.check(&code, time)?;
    i64::try_from(step).ok()
}

/// The code for `secret` at `unix_time` (tests and the demo use it; the app never shows it).
pub fn code_at(secret: &str, unix_time: i64) -> Option<String> {
    let time = u64::try_from(unix_time).ok()?;
    Some(totp(secret, "-")?.generate(time).to_string())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn enrolment_url(secret: &str, account: &str) -> Option<String> {
    totp(secret, account)?.to_url().ok()
}

/// The QR code of `url` as an SVG document (black on white, at least 240 px).
pub fn qr_svg(url: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render()
            .min_dimensions(240, 240)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_in_its_step_and_the_neighbouring_ones_only() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let t = 1_790_000_000;
        let code = code_at(&secret, t).unwrap();
        let step = t / 30;
        assert_eq!(check(&secret, &code, t), Some(step));
        assert_eq!(check(&secret, &code, t + 30), Some(step));
        assert_eq!(check(&secret, &code, t - 30), Some(step));
        assert_eq!(check(&secret, &code, t + 90), None);
        assert_eq!(check(&secret, "000000x", t), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(check(&secret, &spaced, t), Some(step), "spaces are ignored");
    }

    #[test]
    fn the_rfc_6238_test_vector_holds() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s: 94287082 (8
        // digits); the 6-digit code is its last six digits.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
    }

    #[test]
    fn the_enrolment_qr_code_is_an_svg_of_the_otpauth_address() {
        let secret = new_secret();
        let url = enrolment_url(&secret, "kari@example.org").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Reetableringsportalen:kari%40example.org?"),
            "{url}"
        );
        assert!(url.contains(&format!("secret={secret}")));
        let svg = qr_svg(&url).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
