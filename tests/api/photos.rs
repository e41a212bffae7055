//! Photos: every shared fixture through the pipeline into a real S3-protocol server, read back
//! from the bucket and checked for metadata; signed URLs fetched by a plain HTTP client;
//! retries, limits and storage failures.

use camau::auth::roles::Role;
use serde_json::json;
use uuid::Uuid;

use crate::support::s3::{S3TestServer, SECRET_KEY};
use crate::support::{self, Actor, Person, TestApp, TestEnv};

/// A person of a new organisation with an assigned mentor, and a story of theirs.
struct Scene {
    person: Person,
    mentor: Actor,
    story: Uuid,
}

async fn scene(app: &TestApp) -> Scene {
    let org = app.provider().await;
    let person = app.person(&org).await;
    let mentor = app.account(Some(&org), Role::Mentor).await;
    app.assign(&person, &mentor, &org).await;
    let story = app
        .post(&format!("/v1/people/{}/stories", person.id))
        .bearer(&person.account.token)
        .json(&json!({ "body": "Fy llun i", "lang": "cy", "audience": "circle" }))
        .send()
        .await
        .expect(201);
    Scene {
        story: story["id"].as_str().unwrap().parse().unwrap(),
        person,
        mentor,
    }
}

async fn upload(
    app: &TestApp,
    token: &str,
    story: Uuid,
    content_type: &str,
    body: Vec<u8>,
) -> crate::support::Res {
    app.post(&format!("/v1/stories/{story}/photos"))
        .bearer(token)
        .raw(content_type, body)
        .send()
        .await
}

/// What a stored JPEG must not carry: any EXIF (read with an EXIF reader), an XMP packet, an
/// IPTC block, an ICC profile, a comment, a second (embedded) image, or anything after its end.
fn assert_clean(name: &str, bytes: &[u8]) {
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "{name}: not a JPEG");
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes));
    assert!(
        exif.is_err(),
        "{name}: EXIF survived: {:?}",
        exif.map(|e| e.fields().count())
    );
    for marker in [
        &b"Exif\0"[..],
        b"http://ns.adobe.com/xap",
        b"x:xmpmeta",
        b"Photoshop 3.0",
        b"ICC_PROFILE",
        b"GPS",
        b"<html",
        b"<script",
    ] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "{name}: {:?} survived",
            String::from_utf8_lossy(marker)
        );
    }
    // Walk the segments: only JFIF APP0, tables, frame, scan; one image; nothing after EOI.
    let mut i = 2;
    loop {
        assert_eq!(bytes[i], 0xFF, "{name}: bad segment at {i}");
        let marker = bytes[i + 1];
        assert!(
            !matches!(marker, 0xE1..=0xEF | 0xFE),
            "{name}: an APP{} or comment segment survived",
            marker.wrapping_sub(0xE0)
        );
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if marker == 0xDA {
            let end = bytes.len() - 2;
            assert_eq!(&bytes[end..], &[0xFF, 0xD9], "{name}: data after the image");
            let scan = &bytes[i + 2 + len..end];
            assert!(
                !scan.windows(2).any(|w| w == [0xFF, 0xD8]),
                "{name}: a second image inside"
            );
            break;
        }
        i += 2 + len;
    }
}

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("decodable")
}

/// How far apart two images look, after both are shrunk to 16×16 grey.
fn distance(a: &image::DynamicImage, b: &image::DynamicImage) -> f64 {
    let small = |i: &image::DynamicImage| {
        i.resize_exact(16, 16, image::imageops::FilterType::Triangle)
            .to_luma8()
            .into_raw()
    };
    small(a)
        .iter()
        .zip(small(b))
        .map(|(x, y)| (f64::from(*x) - f64::from(y)).abs())
        .sum::<f64>()
        / 256.0
}

#[actix_web::test]
async fn every_accepted_fixture_is_stored_in_s3_without_metadata_and_upright() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let s = scene(&app).await;
    // (file, content type the app sends, the original's width × height after rotation)
    let accepted = [
        (
            "phone-12mp-gps-orientation6.jpg",
            "image/jpeg",
            Some((3024, 4032)),
        ),
        ("small-gps.jpg", "image/jpeg", Some((800, 600))),
        ("gps.png", "image/png", None),
        ("gps-orientation3.webp", "image/webp", None),
        ("clean.jpg", "image/jpeg", Some((640, 480))),
        // The JPEG is kept, re-encoded; what was appended is not.
        ("polyglot-jpeg-html.jpg", "image/jpeg", None),
    ];
    for (name, content_type, size) in accepted {
        let bytes = support::image(name);
        let res = upload(
            &app,
            &s.person.account.token,
            s.story,
            content_type,
            bytes.clone(),
        )
        .await;
        let photo = res.expect(201);
        let id = photo["id"].as_str().unwrap();
        let keys = s3.keys(&format!("photos/{id}/"));
        assert_eq!(
            keys,
            ["display.jpg", "original.jpg", "thumb.jpg"].map(|k| format!("photos/{id}/{k}")),
            "{name}"
        );
        for key in &keys {
            assert_clean(&format!("{name} {key}"), &s3.object(key));
        }
        let original = decode(&s3.object(&keys[1]));
        if let Some((w, h)) = size {
            assert_eq!((original.width(), original.height()), (w, h), "{name}");
        }
        assert_eq!(photo["width"], original.width(), "{name}");
        let display = decode(&s3.object(&keys[0]));
        let thumb = decode(&s3.object(&keys[2]));
        assert!(display.width().max(display.height()) <= 1600, "{name}");
        assert!(thumb.width().max(thumb.height()) <= 400, "{name}");
        // Upright: the stored pixels are closer to the source turned as its orientation says
        // than to the source as stored.
        let source = decode(&bytes);
        let turned = match name {
            "phone-12mp-gps-orientation6.jpg" => Some(source.rotate90()),
            "gps-orientation3.webp" => Some(source.rotate180()),
            _ => None,
        };
        if let Some(turned) = turned {
            assert!(
                distance(&original, &turned) < distance(&original, &source),
                "{name}: not turned upright"
            );
        }
    }
    // The story lists them in upload order, each with its three links.
    let story = app
        .get(&format!("/v1/stories/{}", s.story))
        .bearer(&s.mentor.token)
        .send()
        .await
        .expect(200);
    assert_eq!(story["photos"].as_array().unwrap().len(), accepted.len());
}

#[actix_web::test]
async fn hostile_and_unsupported_files_are_refused_with_clear_codes_and_nothing_is_stored() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let s = scene(&app).await;
    let heic = {
        let mut b = vec![0, 0, 0, 0x18];
        b.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        b.resize(4096, 0);
        b
    };
    let cases: [(&str, Vec<u8>, &str, u16, &str); 9] = [
        (
            "pixel flood",
            support::image("pixel-flood-65535.png"),
            "image/png",
            422,
            "image_too_large",
        ),
        (
            "decompression bomb",
            support::image("zero-bomb-20000.png"),
            "image/png",
            422,
            "image_too_large",
        ),
        (
            "truncated",
            support::image("truncated.jpg"),
            "image/jpeg",
            422,
            "image_unreadable",
        ),
        (
            "empty",
            support::image("empty.jpg"),
            "image/jpeg",
            415,
            "unsupported_image",
        ),
        (
            "html named .jpg",
            support::image("html-named.jpg"),
            "image/jpeg",
            415,
            "unsupported_image",
        ),
        (
            "svg with script",
            support::image("script.svg"),
            "image/svg+xml",
            415,
            "unsupported_image",
        ),
        (
            "executable",
            support::image("elf-named.jpg"),
            "image/jpeg",
            415,
            "unsupported_image",
        ),
        ("heic", heic, "image/heic", 415, "heic_not_supported"),
        // Right bytes, wrong declared type: not a photo upload at all.
        (
            "json declared",
            support::image("clean.jpg"),
            "application/json",
            415,
            "unsupported_image",
        ),
    ];
    for (name, body, content_type, status, code) in cases {
        let res = upload(&app, &s.person.account.token, s.story, content_type, body).await;
        assert_eq!(res.status.as_u16(), status, "{name}: {}", res.text());
        assert_eq!(res.json()["code"], code, "{name}");
    }
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 0);
    assert!(s3.keys("photos/").is_empty());
}

#[actix_web::test]
async fn a_signed_url_works_for_a_plain_client_until_it_expires() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY).set("CAMAU_PHOTO_URL_TTL_SECS", "2")).await;
    let s = scene(&app).await;
    let photo = upload(
        &app,
        &s.person.account.token,
        s.story,
        "image/jpeg",
        support::image("small-gps.jpg"),
    )
    .await
    .expect(201);
    let res = app
        .get(photo["thumb_url"].as_str().unwrap())
        .bearer(&s.mentor.token)
        .send()
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    assert_eq!(res.header("cache-control"), Some("private, no-store"));
    let url = res.header("location").unwrap().to_owned();
    assert!(url.starts_with(&s3.endpoint), "{url}");
    assert!(url.contains("X-Amz-Expires=2"), "{url}");
    let (status, body) = plain_get(&url).await;
    assert_eq!(status, 200);
    assert_clean("thumb via signed url", &body);
    // A tampered signature and an expired URL are refused by the store itself.
    let at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let flipped = if &url[at..=at] == "0" { "1" } else { "0" };
    let tampered = format!("{}{flipped}{}", &url[..at], &url[at + 1..]);
    let (status, _) = plain_get(&tampered).await;
    assert_eq!(status, 403);
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let (status, _) = plain_get(&url).await;
    assert_eq!(status, 403, "an expired URL still worked");
}

/// A GET by a bare HTTP/1.1 client, as a phone's image loader would make it.
async fn plain_get(url: &str) -> (u16, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let line = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..line]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[line + 2..line + 2 + n]);
            rest = &rest[line + 4 + n..];
        }
        body = out;
    }
    (status, body)
}

#[actix_web::test]
async fn storage_failing_part_way_leaves_no_row_and_no_object() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let s = scene(&app).await;
    // The original and display sizes are written; the thumbnail is refused.
    s3.fail_puts_after(2);
    let res = upload(
        &app,
        &s.person.account.token,
        s.story,
        "image/jpeg",
        support::image("clean.jpg"),
    )
    .await;
    let problem = res.problem(503, "service_unavailable");
    assert!(res.header("retry-after").is_some(), "{problem}");
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 0);
    // The objects it wrote were removed in the request.
    assert_eq!(s3.keys("photos/"), Vec::<String>::new());
    assert_eq!(
        app.scalar("SELECT count(*) FROM storage_deletions").await,
        0
    );

    // Storage down for the cleanup too: the deletion stays queued until housekeeping runs.
    s3.fail_puts_after(1);
    let res = upload(
        &app,
        &s.person.account.token,
        s.story,
        "image/jpeg",
        support::image("clean.jpg"),
    )
    .await;
    res.problem(503, "service_unavailable");
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 0);
    assert_eq!(s3.keys("photos/"), Vec::<String>::new());

    // An upload that died between writing its objects and marking its row: the sweep takes
    // both away once the upload is clearly abandoned.
    s3.fail_puts_after(usize::MAX);
    let photo = upload(
        &app,
        &s.person.account.token,
        s.story,
        "image/jpeg",
        support::image("clean.jpg"),
    )
    .await
    .expect(201);
    let id = photo["id"].as_str().unwrap();
    app.sql(&format!(
        "UPDATE photos SET stored_at = NULL, created_at = now() - interval '1 hour' WHERE id = '{id}'"
    ))
    .await;
    // Invisible at once: no row points at objects that may be missing.
    app.get(&format!("/v1/photos/{id}"))
        .bearer(&s.person.account.token)
        .send()
        .await
        .problem(404, "not_found");
    let state = &app.shared.state;
    let mut conn = state.conn().await.unwrap();
    let swept = camau::platform::storage::sweep::sweep(&state.storage, &mut conn)
        .await
        .unwrap();
    assert_eq!(swept.abandoned_uploads, 1);
    assert!(swept.removed >= 1);
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 0);
    assert_eq!(
        app.scalar("SELECT count(*) FROM storage_deletions").await,
        0
    );
    assert_eq!(s3.keys("photos/"), Vec::<String>::new());
}

#[actix_web::test]
async fn deleting_a_photo_or_its_story_removes_the_objects() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let s = scene(&app).await;
    let token = &s.person.account.token;
    let one = upload(
        &app,
        token,
        s.story,
        "image/jpeg",
        support::image("clean.jpg"),
    )
    .await
    .expect(201);
    upload(
        &app,
        token,
        s.story,
        "image/jpeg",
        support::image("small-gps.jpg"),
    )
    .await
    .expect(201);
    assert_eq!(s3.keys("photos/").len(), 6);
    app.delete(&format!("/v1/photos/{}", one["id"].as_str().unwrap()))
        .bearer(token)
        .send()
        .await
        .expect(204);
    assert_eq!(s3.keys("photos/").len(), 3);
    app.delete(&format!("/v1/stories/{}", s.story))
        .bearer(&s.mentor.token)
        .send()
        .await
        .expect(204);
    assert_eq!(s3.keys("photos/"), Vec::<String>::new());
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 0);
    assert_eq!(
        app.scalar("SELECT count(*) FROM storage_deletions").await,
        0
    );
}

#[actix_web::test]
async fn a_retried_upload_stores_one_photo_and_a_reused_key_is_refused() {
    let app = TestApp::new().await;
    let s = scene(&app).await;
    let send = |body: Vec<u8>| {
        app.post(&format!("/v1/stories/{}/photos", s.story))
            .bearer(&s.person.account.token)
            .header("idempotency-key", "photo-1")
            .raw("image/jpeg", body)
            .send()
    };
    let first = send(support::image("clean.jpg")).await.expect(201);
    let again = send(support::image("clean.jpg")).await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.expect(201)["id"], first["id"]);
    send(support::image("small-gps.jpg"))
        .await
        .problem(422, "idempotency_key_reused");
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 1);

    // Five copies of one retried upload in parallel: one photo.
    let sends: Vec<_> = (0..5)
        .map(|_| {
            app.post(&format!("/v1/stories/{}/photos", s.story))
                .bearer(&s.person.account.token)
                .header("idempotency-key", "photo-2")
                .raw("image/jpeg", support::image("small-gps.jpg"))
                .send()
        })
        .collect();
    let results = futures_util::future::join_all(sends).await;
    let mut ids = std::collections::BTreeSet::new();
    for res in &results {
        match res.status.as_u16() {
            201 => {
                ids.insert(res.json()["id"].as_str().unwrap().to_owned());
            }
            409 => assert_eq!(res.json()["code"], "idempotency_key_in_use"),
            other => panic!("unexpected {other}: {}", res.text()),
        }
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 2);

    // A first try that died part-way (its row left pending) blocks its key only briefly:
    // a retry after that stores the photo afresh.
    let first_id = first["id"].as_str().unwrap();
    app.sql(&format!(
        "UPDATE photos SET stored_at = NULL, created_at = now() - interval '1 hour' WHERE id = '{first_id}'"
    ))
    .await;
    let fresh = send(support::image("clean.jpg")).await;
    assert_eq!(fresh.header("idempotent-replayed"), None);
    assert_ne!(fresh.expect(201)["id"], first["id"]);
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 2);
}

#[actix_web::test]
async fn a_story_holds_ten_photos_and_uploads_have_a_size_cap() {
    let app = TestApp::with_env(TestEnv::default().set("CAMAU_PHOTO_MAX_BYTES", "100000")).await;
    let s = scene(&app).await;
    for _ in 0..10 {
        upload(
            &app,
            &s.person.account.token,
            s.story,
            "image/jpeg",
            support::image("clean.jpg"),
        )
        .await
        .expect(201);
    }
    upload(
        &app,
        &s.person.account.token,
        s.story,
        "image/jpeg",
        support::image("clean.jpg"),
    )
    .await
    .problem(409, "too_many_photos");
    upload(
        &app,
        &s.person.account.token,
        s.story,
        "image/jpeg",
        support::image("phone-12mp-gps-orientation6.jpg"),
    )
    .await
    .problem(413, "payload_too_large");
    // Local and memory storage stream the bytes themselves; no cache keeps them
    // (docs/SECURITY.md, "Photos"), so access taken away applies to the next look.
    let photo = app
        .get(&format!("/v1/people/{}/stories", s.person.id))
        .bearer(&s.mentor.token)
        .send()
        .await
        .expect(200)["items"][0]["photos"][0]["display_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app.get(&photo).bearer(&s.mentor.token).send().await;
    assert_eq!(res.status.as_u16(), 200);
    assert_eq!(res.header("content-type"), Some("image/jpeg"));
    assert_eq!(res.header("cache-control"), Some("private, no-store"));
    assert_clean("streamed display", &res.body);
}

/// A resumable upload's part: `(status, Upload-Offset, Location)`.
async fn part(
    app: &TestApp,
    token: &str,
    upload: &str,
    offset: usize,
    bytes: &[u8],
) -> (u16, Option<usize>, Option<String>, crate::support::Res) {
    let res = app
        .patch(upload)
        .bearer(token)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", &offset.to_string())
        .raw("application/offset+octet-stream", bytes.to_vec())
        .send()
        .await;
    let at = res.header("upload-offset").map(|v| v.parse().unwrap());
    let photo = res.header("location").map(str::to_owned);
    (res.status.as_u16(), at, photo, res)
}

#[actix_web::test]
async fn a_large_photo_sent_in_parts_survives_a_dropped_connection_and_is_stored_clean() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let s = scene(&app).await;
    let token = s.person.account.token.clone();
    let photo = support::image("phone-12mp-gps-orientation6.jpg");
    let announced = app
        .post(&format!("/v1/stories/{}/uploads", s.story))
        .bearer(&token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", &photo.len().to_string())
        .send()
        .await;
    assert_eq!(announced.header("tus-resumable"), Some("1.0.0"));
    assert!(announced.header("upload-expires").is_some());
    let upload = announced.header("location").unwrap().to_owned();
    announced.expect(201);

    let mb = 1 << 20;
    let (status, at, _, _) = part(&app, &token, &upload, 0, &photo[..mb]).await;
    assert_eq!((status, at), (204, Some(mb)));
    // Held in the database sealed: no part shows the photo's EXIF (with its GPS) in clear.
    assert_eq!(
        app.scalar("SELECT count(*) FROM photo_upload_parts WHERE position('\\x45786966'::bytea in sealed) > 0")
            .await,
        0
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM photo_upload_parts").await,
        1
    );

    // The signal drops half-way through the next part.
    let served = app.serve(s3.env(SECRET_KEY)).await;
    let auth = format!("Bearer {token}");
    let length = mb.to_string();
    let offset = mb.to_string();
    crate::support::net::send_partly_and_hang_up(
        &format!("{}{upload}", served.base),
        "PATCH",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/offset+octet-stream"),
            ("Tus-Resumable", "1.0.0"),
            ("Upload-Offset", &offset),
            ("Content-Length", &length),
        ],
        &photo[mb..mb + 300_000],
    )
    .await;
    // Back in signal: the server says what it holds, and the rest goes from there.
    let mut held = 0;
    for _ in 0..100 {
        let head = app
            .head(&upload)
            .bearer(&token)
            .header("tus-resumable", "1.0.0")
            .send()
            .await;
        assert_eq!(head.status.as_u16(), 200);
        assert_eq!(head.header("cache-control"), Some("no-store"));
        assert_eq!(
            head.header("upload-length"),
            Some(photo.len().to_string().as_str())
        );
        held = head
            .header("upload-offset")
            .unwrap()
            .parse::<usize>()
            .unwrap();
        if held == mb + 300_000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Everything that arrived before the drop is kept: nothing is sent twice.
    assert_eq!(held, mb + 300_000);
    // A part from the wrong place is refused and changes nothing.
    let (status, _, _, res) = part(&app, &token, &upload, 0, &photo[..10]).await;
    assert_eq!(status, 409, "{}", res.text());
    let (status, at, _, _) = part(&app, &token, &upload, held, &photo[held..held + mb]).await;
    assert_eq!((status, at), (204, Some(held + mb)));
    let (status, at, location, res) =
        part(&app, &token, &upload, held + mb, &photo[held + mb..]).await;
    assert_eq!((status, at), (204, Some(photo.len())), "{}", res.text());
    let location = location.expect("the stored photo");

    // Stored as any photo: stripped and upright, in every size.
    let id = location.trim_start_matches("/v1/photos/");
    let keys = s3.keys(&format!("photos/{id}/"));
    assert_eq!(keys.len(), 3, "{keys:?}");
    for key in &keys {
        assert_clean(key, &s3.object(key));
    }
    let original = decode(&s3.object(&format!("photos/{id}/original.jpg")));
    assert_eq!((original.width(), original.height()), (3024, 4032));
    // The answer to the last part was lost: sending it again answers the same, once.
    let (status, _, again, _) = part(&app, &token, &upload, held + mb, &photo[held + mb..]).await;
    assert_eq!((status, again.as_deref()), (204, Some(location.as_str())));
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 1);
    assert_eq!(
        app.scalar("SELECT count(*) FROM photo_upload_parts").await,
        0
    );
}

/// tus 1.0: a 409 for a wrong offset names the server's `Upload-Offset`, and every answer
/// (errors too) carries `Tus-Resumable`.
#[actix_web::test]
async fn a_wrong_offset_is_409_with_the_servers_offset_and_every_tus_answer_names_the_version() {
    let app = TestApp::new().await;
    let s = scene(&app).await;
    let token = s.person.account.token.clone();
    let photo = support::image("small-gps.jpg");
    let announced = app
        .post(&format!("/v1/stories/{}/uploads", s.story))
        .bearer(&token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", &photo.len().to_string())
        .send()
        .await;
    let upload = announced.header("location").unwrap().to_owned();
    announced.expect(201);
    let (status, at, _, res) = part(&app, &token, &upload, 10, &photo[10..20]).await;
    assert_eq!((status, at), (409, Some(0)), "{}", res.text());
    assert_eq!(res.header("tus-resumable"), Some("1.0.0"));
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    let (status, at, _, _) = part(&app, &token, &upload, 0, &photo[..10]).await;
    assert_eq!((status, at), (204, Some(10)));
    let (status, at, _, res) = part(&app, &token, &upload, 0, &photo[..10]).await;
    assert_eq!((status, at), (409, Some(10)), "{}", res.text());
    // Errors the handlers never see carry it too: no such upload, no token, another version.
    let missing = format!("/v1/uploads/{}", uuid::Uuid::now_v7());
    for res in [
        app.head(&missing).bearer(&token).send().await,
        app.delete(&missing).bearer(&token).send().await,
        app.head(&upload).send().await,
        app.head(&upload)
            .bearer(&token)
            .header("tus-resumable", "0.2.2")
            .send()
            .await,
    ] {
        assert!(res.status.is_client_error(), "{}", res.status);
        assert_eq!(res.header("tus-resumable"), Some("1.0.0"), "{}", res.status);
    }
    // Not on other answers.
    let other = app.get("/v1/me").bearer(&token).send().await;
    assert_eq!(other.header("tus-resumable"), None);
}

#[actix_web::test]
async fn an_abandoned_upload_is_removed_after_it_expires_and_a_cancelled_one_at_once() {
    let app = TestApp::new().await;
    let s = scene(&app).await;
    let token = s.person.account.token.clone();
    let announce = || {
        app.post(&format!("/v1/stories/{}/uploads", s.story))
            .bearer(&token)
            .header("upload-length", "5000")
            .send()
    };
    let first = announce().await.header("location").unwrap().to_owned();
    let (status, _, _, _) = part(&app, &token, &first, 0, &[0xFF; 1000]).await;
    assert_eq!(status, 204);
    // Too much for what was announced, or not the tus media type: refused, nothing kept.
    let (status, _, _, _) = part(&app, &token, &first, 1000, &[0; 4001]).await;
    assert_eq!(status, 413);
    app.patch(&first)
        .bearer(&token)
        .header("upload-offset", "1000")
        .json(&serde_json::json!({}))
        .send()
        .await
        .problem(415, "unsupported_media_type");
    // Past its day: housekeeping removes it with its parts, and it is gone for the client too.
    app.sql("UPDATE photo_uploads SET expires_at = now() - interval '1 second'")
        .await;
    let mut conn = app.shared.state.conn().await.unwrap();
    let purged = camau::platform::housekeeping::purge(&mut conn, &app.shared.state.config)
        .await
        .unwrap();
    assert_eq!(purged.uploads, 1);
    assert_eq!(
        app.scalar("SELECT count(*) FROM photo_upload_parts").await,
        0
    );
    app.head(&first).bearer(&token).send().await.expect(404);
    // Ended by the client: gone at once.
    let second = announce().await.header("location").unwrap().to_owned();
    app.delete(&second).bearer(&token).send().await.expect(204);
    assert_eq!(app.scalar("SELECT count(*) FROM photo_uploads").await, 0);
    // A story's announced uploads count with its photos (10 at most).
    for _ in 0..10 {
        announce().await.expect(201);
    }
    announce().await.problem(409, "too_many_photos");
    // Announcing more than a photo may have is refused before anything is kept.
    app.post(&format!("/v1/stories/{}/uploads", s.story))
        .bearer(&token)
        .header("upload-length", "999999999")
        .send()
        .await
        .problem(413, "payload_too_large");
}

#[actix_web::test]
async fn a_last_part_that_cannot_be_stored_is_not_counted_and_is_sent_again() {
    let s3 = S3TestServer::start().await;
    let app = TestApp::with_env(s3.env(SECRET_KEY)).await;
    let s = scene(&app).await;
    let token = s.person.account.token.clone();
    let photo = support::image("small-gps.jpg");
    let upload = app
        .post(&format!("/v1/stories/{}/uploads", s.story))
        .bearer(&token)
        .header("upload-length", &photo.len().to_string())
        .send()
        .await
        .header("location")
        .unwrap()
        .to_owned();
    let half = photo.len() / 2;
    let (status, _, _, _) = part(&app, &token, &upload, 0, &photo[..half]).await;
    assert_eq!(status, 204);
    // Storage is down when the last part arrives: 503, and the server does not claim the
    // bytes, so a tus client (which takes offset = length for done) sends them again.
    s3.fail_puts_after(0);
    let (status, _, _, res) = part(&app, &token, &upload, half, &photo[half..]).await;
    assert_eq!(status, 503, "{}", res.text());
    assert!(res.header("retry-after").is_some());
    let head = app.head(&upload).bearer(&token).send().await;
    assert_eq!(
        head.header("upload-offset"),
        Some(half.to_string().as_str())
    );
    assert!(head.header("location").is_none());
    s3.fail_puts_after(usize::MAX);
    let (status, at, location, res) = part(&app, &token, &upload, half, &photo[half..]).await;
    assert_eq!((status, at), (204, Some(photo.len())), "{}", res.text());
    let head = app.head(&upload).bearer(&token).send().await;
    assert_eq!(head.header("location"), location.as_deref());
    assert_eq!(
        app.scalar("SELECT count(*) FROM photos WHERE stored_at IS NOT NULL")
            .await,
        1
    );
}

#[actix_web::test]
async fn thirty_announcements_at_once_leave_at_most_ten_unfinished_uploads() {
    let app = TestApp::with_env(
        TestEnv::default()
            .set("CAMAU_DB_POOL_SIZE", "16")
            .set("CAMAU_DB_POOL_TIMEOUT_MS", "20000"),
    )
    .await;
    let s = scene(&app).await;
    let token = s.person.account.token.clone();
    // Three stories, ten announcements on each, all at once: the account's limit (10) holds.
    let mut stories = vec![s.story.to_string()];
    for _ in 0..2 {
        let story = app
            .post(&format!("/v1/people/{}/stories", s.person.id))
            .bearer(&token)
            .json(&json!({ "body": "Un arall", "audience": "circle" }))
            .send()
            .await
            .expect(201);
        stories.push(story["id"].as_str().unwrap().to_owned());
    }
    let sends = (0..30).map(|i| {
        app.post(&format!("/v1/stories/{}/uploads", stories[i % 3]))
            .bearer(&token)
            .header("upload-length", "5000")
            .send()
    });
    let results = futures_util::future::join_all(sends).await;
    let made = results.iter().filter(|r| r.status.as_u16() == 201).count();
    for r in results.iter().filter(|r| r.status.as_u16() != 201) {
        r.problem(409, "conflict");
    }
    assert_eq!(made, 10);
    assert_eq!(app.scalar("SELECT count(*) FROM photo_uploads").await, 10);
}

/// The upload routes are found by the router, not by reading the path: a photo sent to a path
/// that routing decodes to the upload route (`stor%69es`) still has the photo's longer body
/// deadline and keeps its own key, while a JSON body to the same route is cut off as any is.
#[actix_web::test]
async fn a_slow_photo_on_an_encoded_path_is_still_an_upload() {
    let app =
        TestApp::with_env(TestEnv::default().set("CAMAU_REQUEST_BODY_TIMEOUT_MS", "300")).await;
    let s = scene(&app).await;
    let send_slowly = || async {
        let image = support::image("clean.jpg");
        let (half, rest) = image.split_at(image.len() / 2);
        let (mut sender, payload) = actix_http::h1::Payload::create(false);
        sender.feed_data(bytes::Bytes::copy_from_slice(half));
        let req = actix_web::test::TestRequest::post()
            .uri(&format!("/v1/stor%69es/{}/photos", s.story))
            .insert_header((
                "authorization",
                format!("Bearer {}", s.person.account.token),
            ))
            .insert_header(("content-type", "image/jpeg"))
            .insert_header(("content-length", image.len().to_string()))
            .insert_header(("idempotency-key", "slow-photo"))
            .peer_addr("192.0.2.10:40000".parse().unwrap())
            .to_request();
        let (req, _) = req.replace_payload(
            actix_http::Payload::<actix_http::BoxedPayloadStream>::from(payload),
        );
        let rest = bytes::Bytes::copy_from_slice(rest);
        let feeder = async move {
            tokio::time::sleep(std::time::Duration::from_millis(700)).await;
            sender.feed_data(rest);
            sender.feed_eof();
        };
        let (res, ()) = tokio::join!(app.send(req), feeder);
        res
    };
    let first = send_slowly().await.expect(201);
    let again = send_slowly().await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.expect(201)["id"], first["id"]);
    assert_eq!(app.scalar("SELECT count(*) FROM photos").await, 1);

    // Not an image: no photo's allowance, so a body that never finishes is cut off as any is.
    let (mut sender, payload) = actix_http::h1::Payload::create(false);
    sender.feed_data(bytes::Bytes::from_static(b"{\"caption\":"));
    let req = actix_web::test::TestRequest::post()
        .uri(&format!("/v1/stories/{}/photos", s.story))
        .insert_header((
            "authorization",
            format!("Bearer {}", s.person.account.token),
        ))
        .insert_header(("content-type", "application/json"))
        .insert_header(("content-length", "1000"))
        .peer_addr("192.0.2.10:40000".parse().unwrap())
        .to_request();
    let (req, _) = req.replace_payload(
        actix_http::Payload::<actix_http::BoxedPayloadStream>::from(payload),
    );
    let started = std::time::Instant::now();
    app.send(req).await.problem(408, "request_timeout");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the photo's deadline"
    );
    drop(sender);
}
