//! The guest agent reference in a real browser: headless Chromium driven
//! through chromedriver's WebDriver HTTP interface (a few lines of HTTP
//! over a TCP stream, no browser-automation crate).
//!
//! Skipped, with the reason printed, when `chromium` or `chromedriver` is
//! not installed (Debian packages `chromium` and `chromium-driver`).
//! Screenshots are kept under `target/doc-render/screenshots/`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM_ARGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// One HTTP/1.1 exchange; returns the body.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Vec<u8>, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .map_err(|e| e.to_string())?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // The driver keeps the connection open: read the header, then as
    // many bytes as it announces.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the header end".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let mut body = raw[split + 4..].to_vec();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(len) = length {
        while body.len() < len {
            let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&buf[..n]);
        }
        return Ok(body);
    }
    stream.read_to_end(&mut body).map_err(|e| e.to_string())?;
    if head.contains("transfer-encoding: chunked") {
        return Ok(dechunk(&body));
    }
    Ok(body)
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&body[..eol]);
        let size = usize::from_str_radix(size_text.trim(), 16).unwrap_or(0);
        if size == 0 || eol + 2 + size > body.len() {
            break;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[(eol + 4 + size).min(body.len())..];
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A chromedriver process with one browser session.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path, profile: &Path) -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while http(port, "GET", "/status", None).is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not start".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push("--window-size=1280,900".into());
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args}
        }}});
        let v = b.call("POST", "/session", Some(&caps))?;
        b.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session: {v}"))?
            .to_string();
        Ok(b)
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let raw = http(self.port, method, path, body)?;
        let v: Value = serde_json::from_slice(&raw).map_err(|e| e.to_string())?;
        if v["value"]["error"].is_string() {
            return Err(format!("{method} {path}: {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        match self.call(method, &path, body.as_ref()) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    fn wait_for(&self, what: &str, js: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.script(js);
            if v.as_bool() != Some(false) && !v.is_null() {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn file_url(path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", abs.display())
}

#[test]
fn guest_agent_reference_in_chromium() {
    // Debian's `chromium` is a wrapper script; chromedriver wants the
    // browser itself.
    let real = Path::new("/usr/lib/chromium/chromium");
    let found = find_program(&["chromium", "chromium-browser"]);
    let Some(chromium) = found.map(|f| {
        if real.is_file() {
            real.to_path_buf()
        } else {
            f
        }
    }) else {
        eprintln!("skipped: chromium is not installed (Debian package chromium)");
        return;
    };
    let Some(chromedriver) = find_program(&["chromedriver"]) else {
        eprintln!("skipped: chromedriver is not installed (Debian package chromium-driver)");
        return;
    };
    let out = repo_root().join("target/doc-render");
    let site = out.join("browser-site");
    let shots = out.join("screenshots");
    let profile = std::env::temp_dir().join(format!("qapi-doc-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&shots).unwrap();
    let schema = qapi_parser::load(
        &repo_root()
            .join("schema/qga/qapi-schema.json")
            .to_string_lossy(),
        &qapi_parser::Options::default(),
    )
    .unwrap();
    for p in qapi_codegen::render::render(&schema, &Default::default()) {
        std::fs::write(site.join(&p.path), p.contents).unwrap();
    }
    let index = file_url(&site.join("index.html"));

    let b = match Browser::start(&chromium, &chromedriver, &profile) {
        Ok(b) => b,
        Err(e) => panic!("browser: {e}"),
    };

    // Follow the return type link of guest-file-read.
    b.go(&format!("{index}#command-guest-file-read"));
    let link = b.find("#command-guest-file-read a.type[href='#type-GuestFileRead']");
    b.cmd("POST", &format!("/element/{link}/click"), Some(json!({})));
    assert!(b.url().ends_with("#type-GuestFileRead"), "{}", b.url());
    b.wait_for(
        "GuestFileRead to scroll into view",
        "var r = document.getElementById('type-GuestFileRead').getBoundingClientRect();\
         return r.top >= 0 && r.top < window.innerHeight / 2;",
    );

    // Search as you type, then pick the first hit with Enter.
    let q = b.find("#q");
    b.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({"text": "exec-st"})),
    );
    let hits = b.wait_for(
        "search results",
        "var l = document.getElementById('results');\
         if (l.hidden) return false;\
         return Array.prototype.map.call(l.querySelectorAll('a'), function (a) {\
           return a.textContent + ' ' + a.getAttribute('href'); });",
    );
    let hits: Vec<&str> = hits
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        hits.first().copied(),
        Some("commandguest-exec-status index.html#command-guest-exec-status"),
        "{hits:?}"
    );
    b.cmd(
        "POST",
        &format!("/element/{q}/value"),
        Some(json!({"text": "\u{E007}"})),
    );
    b.wait_for(
        "the search to jump",
        "return location.hash === '#command-guest-exec-status';",
    );

    // A screenshot of the guest-exec entry.
    b.go(&format!("{index}#command-guest-exec"));
    let entry = b.find("#command-guest-exec");
    let png = b.cmd("GET", &format!("/element/{entry}/screenshot"), None);
    let bytes = base64_decode(png.as_str().unwrap_or(""));
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    std::fs::write(shots.join("guest-exec.png"), &bytes).unwrap();

    // The same page on a phone-sized window: the menu button shows.
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 400, "height": 850})),
    );
    b.go(&format!("{index}#command-guest-exec"));
    let menu_shown = b.script(
        "return getComputedStyle(document.getElementById('menu')).display !== 'none'\
         && document.documentElement.scrollWidth <= window.innerWidth + 1;",
    );
    assert_eq!(menu_shown, Value::Bool(true), "narrow layout");
    let png = b.cmd("GET", "/screenshot", None);
    std::fs::write(
        shots.join("guest-exec-phone.png"),
        base64_decode(png.as_str().unwrap_or("")),
    )
    .unwrap();
    drop(b);
    let _ = std::fs::remove_dir_all(&profile);
}

#[test]
fn helpers_decode() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
}
