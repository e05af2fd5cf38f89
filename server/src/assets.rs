//! The built site's static files (`/pkg/`: CSS, JS, wasm; the icon). Each page links the CSS, JS
//! and wasm under a name that carries a fingerprint of the file's content
//! (`/pkg/portal.<fingerprint>.css`), computed when the server starts; under that name a file never
//! changes, so browsers keep it for a year without asking again (`immutable`). Under its plain
//! name, and for every other file, a browser revalidates and gets `304 Not Modified` when it has
//! the file already (`If-Modified-Since`).
//!
//! The fingerprints reach Leptos' `HydrationScripts` and `HashedStylesheet` the way cargo-leptos'
//! `hash-files` would: a small text file (`fingerprints.txt` in the package folder) named by
//! [`LeptosOptions::hash_file`]. Computing them here rather than in the build keeps the binary,
//! the tests and `cargo leptos serve` on the same file names.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// A year: how long a browser may keep a fingerprinted file.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else: keep it, but ask whether it changed before using it.
pub const REVALIDATE: &str = "no-cache";

/// The files a page links, by the key Leptos' hash file uses, and their plain names.
const LINKED: [(&str, &str); 3] = [
    ("js", "portal.js"),
    ("wasm", "portal.wasm"),
    ("css", "portal.css"),
];

/// The site's files and the fingerprints of those a page links.
#[derive(Clone, Debug)]
pub struct Assets {
    site_root: PathBuf,
    /// `(fingerprinted name, plain name)`, e.g. `("portal.1a2b….css", "portal.css")`.
    fingerprinted: Arc<Vec<(String, &'static str)>>,
}

impl Assets {
    /// Reads the linked files under `<site_root>/pkg`, fingerprints them and writes the hash file
    /// Leptos reads (`hash_file`). Returns `None` when a file is missing or the hash file cannot
    /// be written: pages then link the plain names, which are revalidated on every use.
    pub fn fingerprint(site_root: &Path, hash_file: &Path) -> Option<Assets> {
        let pkg = site_root.join("pkg");
        let mut lines = String::new();
        let mut fingerprinted = Vec::new();
        for (key, plain) in LINKED {
            let bytes = std::fs::read(pkg.join(plain)).ok()?;
            let digest = Sha256::digest(&bytes);
            let print = hex::encode(&digest[..10]);
            let (stem, ext) = plain.rsplit_once('.').expect("a name with an extension");
            fingerprinted.push((format!("{stem}.{print}.{ext}"), plain));
            lines.push_str(&format!("{key}: {print}\n"));
        }
        // Written whole or not at all (several servers may start on one site folder at once).
        let partial = hash_file.with_extension(format!("{}.partial", std::process::id()));
        let written =
            std::fs::write(&partial, &lines).and_then(|()| std::fs::rename(&partial, hash_file));
        if let Err(err) = written {
            let _ = std::fs::remove_file(&partial);
            tracing::warn!(error = %err, file = %hash_file.display(), "asset fingerprints not written; pages link the plain names");
            return None;
        }
        Some(Assets {
            site_root: site_root.to_path_buf(),
            fingerprinted: Arc::new(fingerprinted),
        })
    }

    /// Without fingerprints: every file under its plain name, revalidated.
    pub fn plain(site_root: &Path) -> Assets {
        Assets {
            site_root: site_root.to_path_buf(),
            fingerprinted: Arc::new(Vec::new()),
        }
    }

    /// The plain name of a fingerprinted one, if it is one of today's.
    fn plain_name(&self, name: &str) -> Option<&'static str> {
        self.fingerprinted
            .iter()
            .find(|(print, _)| print == name)
            .map(|(_, plain)| *plain)
    }
}

/// Where the hash file goes for a site folder.
pub fn hash_file(site_root: &Path) -> PathBuf {
    site_root.join("pkg").join("fingerprints.txt")
}

/// `GET /pkg/<file>` and `GET /favicon.svg`: the file from the site folder, with `Last-Modified`
/// and `304` for a conditional request that has it already, precompressed (br, gzip) when the
/// browser takes it, and cached for a year under a fingerprinted name.
pub async fn serve(assets: Assets, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let (serve_path, immutable) = match path
        .strip_prefix("/pkg/")
        .and_then(|name| assets.plain_name(name))
    {
        Some(plain) => (format!("/pkg/{plain}"), true),
        None => (path, false),
    };
    let (mut parts, body) = req.into_parts();
    parts.uri = match Uri::try_from(serve_path) {
        Ok(uri) => uri,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let served = ServeDir::new(&assets.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(Request::from_parts(parts, body))
        .await;
    let mut res = match served {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let cache = if immutable { IMMUTABLE } else { REVALIDATE };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    res
}
