//! The web console (`/console/`): the access matrix's actors against every page, the session
//! cookie and its ends (sign-out, idle, the API's sign-out everywhere), CSRF refusals, the
//! response headers, Welsh, the data-quality links, search, the plan and its audit, and the
//! report CSV against the API's. The browser end to end (Chromium, axe-core) is
//! `tools/console/e2e.mjs`, run by scripts/test.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::access::{targets, world};
use crate::support::{Actor, PASSWORD, Res, TestApp};

/// A browser's cookie jar over the in-process app.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookies: BTreeMap::new(),
        }
    }

    fn jar(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, res: &Res) {
        for value in res.headers.get_all("set-cookie") {
            let value = value.to_str().expect("cookie");
            let (pair, attrs) = value.split_once(';').unwrap_or((value, ""));
            let (name, v) = pair.split_once('=').expect("name=value");
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), v.to_owned());
            }
        }
    }

    async fn get(&mut self, path: &str) -> Res {
        let res = self
            .app
            .get(path)
            .header("cookie", &self.jar())
            .send()
            .await;
        self.keep(&res);
        res
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Res {
        let mut req = self.app.post(path).header("cookie", &self.jar()).raw(
            "application/x-www-form-urlencoded",
            serde_urlencoded::to_string(form).expect("form"),
        );
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let res = req.send().await;
        self.keep(&res);
        res
    }

    /// The CSRF token of the forms on the page at `path`.
    async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        token_of(&page)
    }

    /// Signs in through the sign-in form; the answer to the form.
    async fn sign_in(&mut self, email: &str, password: &str) -> Res {
        let csrf = self.csrf("/console/sign-in").await;
        self.post(
            "/console/sign-in",
            &[("csrf", &csrf), ("email", email), ("password", password)],
            &[("sec-fetch-site", "same-origin")],
        )
        .await
    }
}

/// Form fields or headers.
type Pairs<'a> = &'a [(&'a str, &'a str)];

fn token_of(page: &Res) -> String {
    let text = page.text();
    let at = text
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no CSRF token in {text}"));
    text[at + 19..].split('"').next().expect("token").to_owned()
}

fn location(res: &Res) -> &str {
    res.header("location").unwrap_or("")
}

async fn signed_in<'a>(app: &'a TestApp, who: &Actor) -> Browser<'a> {
    let mut b = Browser::new(app);
    let res = b.sign_in(&who.email, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(location(&res), "/console/");
    b
}

/// Actors of the access matrix world, in its order.
const ACTORS: [&str; 13] = [
    "anon",
    "platform",
    "admin",
    "coord",
    "mentor",
    "mentor_other",
    "self",
    "person_other",
    "sup",
    "sup_nogrant",
    "sup_removed",
    "commissioner",
    "stranger",
];

/// What each actor's sign-in answers: 303 (in), 401 (no email and password of their own:
/// people sign in with a device and PIN), 403 (an account the console is not for;
/// `person_other` is given an email here, so it is refused for being a person).
const SIGN_IN: [u16; 13] = [
    0, 403, 303, 303, 303, 303, 401, 403, 403, 403, 403, 303, 303,
];

#[actix_web::test]
async fn every_console_page_answers_every_actor_as_the_policy_says() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let t = targets(&app, &w).await;
    let p = w.p.id;
    let person_other = w.actors[7].clone().expect("another person");
    app.sql(&format!(
        "UPDATE accounts SET email = '{}' WHERE id = '{}'",
        person_other.email, person_other.id
    ))
    .await;
    // Columns: admin, coord, mentor, mentor_other, commissioner, stranger (their own org).
    let pages: Vec<(String, [u16; 6])> = vec![
        ("/console/dashboard".into(), [200, 200, 200, 200, 404, 200]),
        ("/console/people".into(), [200, 200, 200, 200, 404, 200]),
        (
            format!("/console/people/{p}"),
            [200, 200, 200, 404, 404, 404],
        ),
        (
            format!("/console/photos/{}", t.photo),
            [200, 200, 200, 404, 404, 404],
        ),
        ("/console/staff".into(), [200, 200, 200, 200, 404, 200]),
        ("/console/audit".into(), [200, 403, 403, 403, 403, 200]),
        ("/console/audit.csv".into(), [200, 403, 403, 403, 403, 200]),
        ("/console/reports".into(), [404, 404, 404, 404, 200, 404]),
        (
            "/console/reports.csv".into(),
            [404, 404, 404, 404, 200, 404],
        ),
        ("/console/kpis".into(), [200, 200, 200, 200, 200, 200]),
    ];
    let column = |name: &str| match name {
        "admin" => Some(0),
        "coord" => Some(1),
        "mentor" => Some(2),
        "mentor_other" => Some(3),
        "commissioner" => Some(4),
        "stranger" => Some(5),
        _ => None,
    };
    let mut failures = Vec::new();
    for (i, actor) in w.actors.iter().enumerate() {
        let name = ACTORS[i];
        let mut b = Browser::new(&app);
        if let Some(actor) = actor {
            let res = b.sign_in(&actor.email, PASSWORD).await;
            if res.status.as_u16() != SIGN_IN[i] {
                failures.push(format!("{name} sign-in: {} not {}", res.status, SIGN_IN[i]));
            }
        }
        for (page, expect) in &pages {
            let res = b.get(page).await;
            let (got, want) = match column(name) {
                Some(c) => (res.status.as_u16(), expect[c]),
                // Not signed in (anonymous, or refused at sign-in): to the sign-in page.
                None => {
                    let to = location(&res);
                    (
                        res.status.as_u16(),
                        if to == "/console/sign-in" { 303 } else { 0 },
                    )
                }
            };
            if got != want || (column(name).is_none() && got != 303) {
                failures.push(format!("{name} {page}: {got}, expected {want}"));
            }
        }
        // Who is listed: P to staff who work with P, to no one else.
        if let Some(c) = column(name) {
            let list = b.get("/console/people").await;
            let shows_p = list.text().contains(&format!("/console/people/{p}\""));
            if list.status == StatusCode::OK
                && shows_p != [true, true, true, false, false, false][c]
            {
                failures.push(format!("{name}: P listed {shows_p}"));
            }
            let dashboard = b.get("/console/dashboard").await.text();
            let caseload = dashboard.contains("<h1>My caseload</h1>");
            // People supported today: P and another for the organisation, P alone for P's
            // mentor, no one for another mentor or organisation.
            let today = ["2", "2", "1", "0", "", "0"][c];
            let tile = format!("<span class=\"value\">{today}</span>People supported today");
            if list.status == StatusCode::OK && !dashboard.contains(&tile) {
                failures.push(format!("{name}: the dashboard does not count {today}"));
            }
            if list.status == StatusCode::OK
                && caseload != matches!(name, "mentor" | "mentor_other")
            {
                failures.push(format!("{name}: dashboard of a caseload {caseload}"));
            }
        }
        // The plan page passes the same proof as the API's read of the record.
        if let (Some(actor), Some(_)) = (actor, column(name)) {
            let api = app
                .get(&format!("/v1/people/{p}"))
                .bearer(&actor.token)
                .send()
                .await;
            let console = b.get(&format!("/console/people/{p}")).await;
            if api.status != console.status {
                failures.push(format!(
                    "{name}: the API answers {} for the record, the console {}",
                    api.status, console.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[actix_web::test]
async fn forms_without_the_token_or_from_another_origin_are_refused() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut b = signed_in(&app, &admin).await;
    let csrf = b.csrf("/console/dashboard").await;
    let refused: [(Pairs, Pairs); 5] = [
        (&[], &[]),
        (&[("csrf", "forged")], &[]),
        (&[("csrf", &csrf)], &[("origin", "https://evil.example")]),
        (&[("csrf", &csrf)], &[("origin", "null")]),
        (&[("csrf", &csrf)], &[("sec-fetch-site", "cross-site")]),
    ];
    for (form, headers) in refused {
        let res = b.post("/console/sign-out", form, headers).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{form:?} {headers:?}");
        assert!(res.text().contains("CSRF"));
        // Still signed in.
        assert_eq!(b.get("/console/dashboard").await.status, StatusCode::OK);
    }
    let res = b
        .post(
            "/console/language",
            &[("lang", "cy"), ("next", "/console/people")],
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!b.cookies.contains_key("__Host-camau_lang"));

    // Sign-in: the token belongs to the browser's own form cookie.
    let mut other = Browser::new(&app);
    let theirs = other.csrf("/console/sign-in").await;
    let mut fresh = Browser::new(&app);
    let res = fresh
        .post(
            "/console/sign-in",
            &[
                ("csrf", &theirs),
                ("email", &admin.email),
                ("password", PASSWORD),
            ],
            &[],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "a token without its cookie"
    );
    assert!(!fresh.cookies.contains_key("__Host-camau_console"));

    // With the token, from this origin: signed out, and the session is over.
    let res = b
        .post(
            "/console/sign-out",
            &[("csrf", &csrf)],
            &[
                ("origin", "http://localhost:8080"),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/console/sign-in");
    assert!(!b.cookies.contains_key("__Host-camau_console"));
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM sessions s JOIN console_sessions c ON c.session_id = s.id \
             WHERE s.account_id = '{}' AND s.revoked_reason = 'logout'",
            admin.id
        ))
        .await,
        1
    );
}

#[actix_web::test]
async fn a_page_left_open_past_its_session_signs_out_but_not_for_another_site() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut b = signed_in(&app, &admin).await;
    app.sql(&format!(
        "UPDATE sessions SET revoked_at = now() WHERE account_id = '{}'",
        admin.id
    ))
    .await;
    // Another site cannot even clear the cookie.
    let res = b
        .post(
            "/console/sign-out",
            &[],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(b.cookies.contains_key("__Host-camau_console"));
    // The page itself: no token can match a session that has ended; signed out all the same.
    let res = b
        .post(
            "/console/sign-out",
            &[("csrf", "stale")],
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(
        (res.status, location(&res)),
        (StatusCode::SEE_OTHER, "/console/sign-in")
    );
    assert!(!b.cookies.contains_key("__Host-camau_console"));
    // Its language switch goes to sign in, the language unchanged.
    let res = b
        .post(
            "/console/language",
            &[("csrf", "stale"), ("lang", "cy")],
            &[],
        )
        .await;
    assert_eq!(location(&res), "/console/sign-in");
    assert!(!b.cookies.contains_key("__Host-camau_lang"));
}

#[actix_web::test]
async fn the_session_cookie_is_httponly_strict_and_secure_but_on_loopback() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut b = Browser::new(&app);
    let res = b.sign_in(&admin.email, PASSWORD).await;
    let cookie = res
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-camau_console="))
        .expect("a session cookie")
        .to_owned();
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing: {cookie}");
    }
    // Only the hash of its value is stored.
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("__Host-camau_console=");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM console_sessions WHERE token_hash = '\\x{}'::bytea",
            hex(value.as_bytes())
        ))
        .await,
        0
    );

    let form = |host: &'static str, peer: &'static str| {
        app.get("/console/sign-in").header("host", host).peer(peer)
    };
    let local = form("localhost:8080", "127.0.0.1:50000").send().await;
    let remote_host = form("camau.example.org", "127.0.0.1:50000").send().await;
    let remote_peer = form("localhost:8080", "192.0.2.7:50000").send().await;
    // A proxy on the same machine: remote, whatever host it names.
    let proxied = form("localhost:8080", "127.0.0.1:50000")
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await;
    let set = |res: &Res| res.header("set-cookie").expect("form cookie").to_owned();
    assert!(
        set(&local).starts_with("camau_form=") && !set(&local).contains("Secure"),
        "plain HTTP on loopback in development: {}",
        set(&local)
    );
    for res in [&remote_host, &remote_peer, &proxied] {
        let c = set(res);
        assert!(
            c.starts_with("__Host-camau_form=") && c.contains("Secure"),
            "{c}"
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[actix_web::test]
async fn an_idle_session_ends_and_so_does_one_signed_out_everywhere() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut b = signed_in(&app, &admin).await;
    app.sql(&format!(
        "UPDATE console_sessions SET last_seen_at = now() - interval '29 minutes' \
         WHERE session_id IN (SELECT id FROM sessions WHERE account_id = '{}')",
        admin.id
    ))
    .await;
    assert_eq!(
        b.get("/console/dashboard").await.status,
        StatusCode::OK,
        "within 30 minutes"
    );
    app.sql(&format!(
        "UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' \
         WHERE session_id IN (SELECT id FROM sessions WHERE account_id = '{}')",
        admin.id
    ))
    .await;
    let res = b.get("/console/dashboard").await;
    assert_eq!(
        (res.status, location(&res)),
        (StatusCode::SEE_OTHER, "/console/sign-in")
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM sessions WHERE account_id = '{}' AND revoked_reason = 'idle'",
            admin.id
        ))
        .await,
        1
    );
    // Used again at once, it does not come back.
    app.sql("UPDATE console_sessions SET last_seen_at = now()")
        .await;
    assert_eq!(
        b.get("/console/dashboard").await.status,
        StatusCode::SEE_OTHER
    );

    // The API's sign-out everywhere ends the console's session too.
    let mut b = signed_in(&app, &admin).await;
    assert_eq!(b.get("/console/people").await.status, StatusCode::OK);
    app.post("/v1/auth/logout-all")
        .bearer(&admin.token)
        .send()
        .await
        .expect(204);
    assert_eq!(b.get("/console/people").await.status, StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn pages_carry_a_strict_policy_and_no_inline_script_or_style() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let admin = w.actors[2].clone().expect("admin");
    let mut b = signed_in(&app, &admin).await;
    let mut sign_in = Browser::new(&app);
    let pages = [
        sign_in.get("/console/sign-in").await,
        b.get("/console/dashboard").await,
        b.get("/console/people").await,
        b.get(&format!("/console/people/{}", w.p.id)).await,
        b.get("/console/staff").await,
        b.get("/console/audit").await,
        b.get("/console/kpis").await,
        b.get("/console/people/not-an-id").await,
    ];
    for res in &pages {
        let csp = res.header("content-security-policy").expect("a CSP");
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(res.header("x-frame-options"), Some("DENY"));
        assert_eq!(res.header("cache-control"), Some("no-store"));
        let html = res.text();
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains(" style="),
            "{html}"
        );
    }
    assert_eq!(pages[7].status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn welsh_is_chosen_remembered_and_the_switch_goes_only_back_into_the_console() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut b = signed_in(&app, &admin).await;
    let csrf = b.csrf("/console/people").await;
    let res = b
        .post(
            "/console/language",
            &[
                ("csrf", &csrf),
                ("lang", "cy"),
                ("next", "/console/people?q=a"),
            ],
            &[],
        )
        .await;
    assert_eq!(
        (res.status, location(&res)),
        (StatusCode::SEE_OTHER, "/console/people?q=a")
    );
    assert_eq!(
        b.cookies.get("__Host-camau_lang").map(String::as_str),
        Some("cy")
    );
    let page = b.get("/console/dashboard").await.text();
    assert!(page.contains("<html lang=\"cy\">") && page.contains("<h1>Dangosfwrdd</h1>"));
    assert!(
        page.contains("Y Cynnig Rhagweithiol"),
        "the Welsh Active Offer"
    );
    assert!(page.contains(">English</button>"));
    for next in [
        "//evil.example/x",
        "https://evil.example",
        "/console/\\evil",
        "/v1/me",
    ] {
        let res = b
            .post(
                "/console/language",
                &[("csrf", &csrf), ("lang", "en"), ("next", next)],
                &[],
            )
            .await;
        assert_eq!(location(&res), "/console/", "{next}");
    }
    let page = b.get("/console/dashboard").await.text();
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h1>Dashboard</h1>"));
    assert!(
        page.contains(">Cymraeg</button>"),
        "Welsh offered on every page"
    );
}

/// A goal of `person`'s, written by `by`.
async fn goal(app: &TestApp, by: &Actor, person: Uuid, title: &str) -> String {
    app.post(&format!("/v1/people/{person}/goals"))
        .bearer(&by.token)
        .json(&json!({ "title": title, "lang": "en" }))
        .send()
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn data_quality_links_list_whom_the_dashboard_counts() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let alone = app.person(&org).await;
    let circled = app.person(&org).await;
    app.supporter(&circled, &org, true).await;
    goal(&app, &admin, alone.id, "Uncoded and unrated").await;
    goal(&app, &admin, alone.id, "Also uncoded").await;
    goal(&app, &admin, circled.id, "Another").await;
    // Someone no longer supported is in no count.
    let ended = app.person(&org).await;
    app.sql(&format!(
        "UPDATE people SET support_ended_on = '2026-02-01' WHERE id = '{}'",
        ended.id
    ))
    .await;
    let dashboard = app
        .get(&format!("/v1/organisations/{}/dashboard", org.id))
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    let quality = &dashboard["data_quality"];
    let listed = |need: &'static str| {
        let app = &app;
        let token = admin.token.clone();
        async move {
            let mut ids: Vec<String> = app
                .get(&format!("/v1/people?needs={need}&limit=100"))
                .bearer(&token)
                .send()
                .await
                .expect(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned())
                .collect();
            ids.sort();
            ids
        }
    };
    let mut both = vec![alone.id.to_string(), circled.id.to_string()];
    both.sort();
    assert_eq!(quality["people_without_circle"], 1);
    assert_eq!(listed("circle").await, vec![alone.id.to_string()]);
    assert_eq!(quality["people_without_recent_review"], 2);
    assert_eq!(listed("review").await, both);
    // Goals counted, people listed: the people whose goals they are.
    assert_eq!(quality["goals_without_codes"], 3);
    assert_eq!(listed("codes").await, both);
    assert_eq!(quality["goals_without_baseline"], 3);
    assert_eq!(listed("baseline").await, both);

    // The dashboard page links to those lists, and the list page shows them.
    let mut b = signed_in(&app, &admin).await;
    let page = b.get("/console/dashboard").await.text();
    assert!(
        page.contains("href=\"/console/people?needs=circle\""),
        "{page}"
    );
    let list = b.get("/console/people?needs=circle").await;
    assert_eq!(list.status, StatusCode::OK);
    let text = list.text();
    assert!(
        text.contains(&alone.name) && !text.contains(&circled.name),
        "{text}"
    );
    let bad = b.get("/console/people?needs=everything").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn people_are_found_by_part_of_a_name_with_wildcards_taken_literally() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let a = app.person(&org).await;
    let b = app.person(&org).await;
    app.sql(&format!(
        "UPDATE people SET preferred_name = 'Siân 100% Jones' WHERE id = '{}'",
        a.id
    ))
    .await;
    let find = |q: &str| {
        let app = &app;
        let token = admin.token.clone();
        let q = q.to_owned();
        async move {
            app.get(&format!(
                "/v1/people?q={}",
                serde_urlencoded::to_string([("", q.as_str())])
                    .unwrap()
                    .trim_start_matches('=')
            ))
            .bearer(&token)
            .send()
            .await
            .expect(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["preferred_name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("SIÂN").await, vec!["Siân 100% Jones"]);
    assert_eq!(find("100%").await, vec!["Siân 100% Jones"]);
    assert_eq!(
        find("%").await,
        vec!["Siân 100% Jones"],
        "% is a character, not a wildcard"
    );
    assert_eq!(find("_").await, Vec::<String>::new());
    // Legal names too (staff may read them).
    assert_eq!(
        find(&format!("Legal {}", b.name)).await,
        vec![b.name.clone()]
    );
    app.get(&format!("/v1/people?q={}", "x".repeat(101)))
        .bearer(&admin.token)
        .send()
        .await
        .problem(400, "invalid_query_parameter");
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/console/people?q=100%25").await.text();
    assert!(
        page.contains("Siân 100% Jones") && !page.contains(&b.name),
        "{page}"
    );
}

#[actix_web::test]
async fn a_plan_shows_the_record_with_thumbnails_and_is_on_the_access_log() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let t = targets(&app, &w).await;
    let admin = w.actors[2].clone().expect("admin");
    let mut b = signed_in(&app, &admin).await;
    let page = b.get(&format!("/console/people/{}", w.p.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains(&format!("<h1>Plan: {}</h1>", w.p.name)),
        "{html}"
    );
    for section in ["record", "profile", "goals", "reviews", "stories"] {
        assert!(
            html.contains(&format!("<h2 id=\"{section}\">")),
            "{section}"
        );
    }
    assert!(
        html.contains(&format!("src=\"/console/photos/{}\"", t.photo)),
        "{html}"
    );
    let photo = b.get(&format!("/console/photos/{}", t.photo)).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.header("content-type"), Some("image/jpeg"));
    assert_eq!(photo.header("cache-control"), Some("private, no-store"));
    // The person's access log says who looked, as for the app's reads.
    let seen = app
        .get(&format!("/v1/people/{}/access-log", w.p.id))
        .bearer(&admin.token)
        .send()
        .await
        .expect(200);
    let by_admin: Vec<&str> = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"]["account_id"] == admin.id.to_string())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    // Every part the plan showed, and the photo (a story's).
    for part in ["record", "profile", "goals", "reviews", "stories"] {
        let n = by_admin
            .iter()
            .filter(|a| **a == format!("{part}.viewed"))
            .count();
        let expected = if part == "stories" { 2 } else { 1 };
        assert_eq!(n, expected, "{part}: {by_admin:?}");
    }
    // The same page by a path spelled otherwise (routing decodes it): the same events.
    let again = b.get(&format!("/%63onsole/people/{}", w.p.id)).await;
    assert_eq!(again.status, StatusCode::OK);
    let events = app
        .scalar(&format!(
            "SELECT count(*) FROM audit_events WHERE actor_account_id = '{}' AND person_id = '{}' \
               AND action IN ('record.viewed', 'profile.viewed', 'goals.viewed', \
                              'reviews.viewed', 'stories.viewed')",
            admin.id, w.p.id
        ))
        .await;
    assert_eq!(events, 6 + 5);
}

#[actix_web::test]
async fn the_console_report_and_its_csv_are_the_apis() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    targets(&app, &w).await;
    // P's coded goal, set in the period: one person, a count the report suppresses.
    app.sql(&format!(
        "UPDATE goals SET created_at = '2026-05-04T10:00:00Z' WHERE person_id = '{}'",
        w.p.id
    ))
    .await;
    let commissioner = w.actors[11].clone().expect("commissioner");
    let mut b = signed_in(&app, &commissioner).await;
    let res = b.get("/console/").await;
    assert_eq!(location(&res), "/console/reports");
    let page = b
        .get("/console/reports?from=2026-04-01&to=2026-06-30")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("href=\"/console/kpis\""));
    assert!(html.contains("id=\"suppression\""));
    // One person: every count is suppressed, and each cell says so in words.
    assert!(
        html.contains("<td class=\"num suppressed\">suppressed"),
        "{html}"
    );
    let csv = b
        .get("/console/reports.csv?from=2026-04-01&to=2026-06-30")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let api = app
        .get(&format!(
            "/v1/commissioners/{}/reports/outcomes?from=2026-04-01&to=2026-06-30\
             &breakdown=provider,service_type,age_band,gender,language",
            w.body.id
        ))
        .bearer(&commissioner.token)
        .header("accept", "text/csv")
        .send()
        .await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(csv.text(), api.text());
    assert_eq!(
        csv.header("content-disposition"),
        api.header("content-disposition")
    );
    // A period the API refuses is refused the same way.
    let bad = b
        .get("/console/reports?from=2026-04-02&to=2026-06-30")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn wrong_passwords_and_the_throttle_answer_as_the_api_does() {
    let app = TestApp::new().await;
    let org = app.provider().await;
    let admin = app.admin(&org).await;
    let mut b = Browser::new(&app);
    let res = b.sign_in(&admin.email, "not the password").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.text().contains("Wrong email or password."));
    let unknown = b.sign_in("nobody@example.org", "not the password").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.text().contains("Wrong email or password."));
    // The API's per-account limit (5 failures) counts console attempts too.
    for _ in 0..4 {
        b.sign_in(&admin.email, "not the password").await;
    }
    let res = b.sign_in(&admin.email, PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.header("retry-after").is_some());
    assert!(!b.cookies.contains_key("__Host-camau_console"));
}
