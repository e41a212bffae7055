//! A real S3-protocol server for tests: s3s with its file-system backend, served by hyper on
//! 127.0.0.1 inside the test's runtime. It verifies SigV4 signatures like S3 does.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;

pub const ACCESS_KEY: &str = "camau-test";
pub const SECRET_KEY: &str = "camau-test-secret-key";
pub const BUCKET: &str = "camau-photos";

pub struct S3TestServer {
    pub endpoint: String,
    pub root: PathBuf,
    task: tokio::task::JoinHandle<()>,
    /// PUTs accepted before the server starts failing them (as a full or broken store would).
    puts_left: Arc<AtomicUsize>,
}

impl S3TestServer {
    pub async fn start() -> Self {
        let root = std::env::temp_dir().join(format!("camau-s3-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(root.join(BUCKET)).expect("bucket directory");
        let fs = s3s_fs::FileSystem::new(&root).expect("s3s-fs");
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let s3 = builder.build();
        let puts_left = Arc::new(AtomicUsize::new(usize::MAX));
        let left = puts_left.clone();
        let service =
            hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let s3 = s3.clone();
                let left = left.clone();
                async move {
                    let refuse = req.method() == hyper::Method::PUT
                        && left
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_err();
                    if refuse {
                        let mut res = hyper::Response::new(s3s::Body::empty());
                        *res.status_mut() = hyper::StatusCode::SERVICE_UNAVAILABLE;
                        return Ok(res);
                    }
                    hyper::service::Service::call(&s3, req).await
                }
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            // Connections live in this set, so stopping the server also drops open
            // keep-alive connections, as a crashed server would.
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let service = service.clone();
                connections.spawn(async move {
                    let _ = Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        S3TestServer {
            endpoint,
            root,
            task,
            puts_left,
        }
    }

    /// Accepts `n` more PUTs, then refuses every one.
    pub fn fail_puts_after(&self, n: usize) {
        self.puts_left.store(n, Ordering::SeqCst);
    }

    /// Every object key in the bucket under `prefix` (s3s-fs keeps one file per object).
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else if let Ok(rel) = path.strip_prefix(base) {
                    let key = rel.to_string_lossy().replace('\\', "/");
                    // s3s-fs keeps metadata and upload parts beside objects, dot-named.
                    if !key.split('/').any(|p| p.starts_with('.')) {
                        out.push(key);
                    }
                }
            }
        }
        let base = self.root.join(BUCKET);
        let mut out = Vec::new();
        walk(&base, &base, &mut out);
        out.retain(|k| k.starts_with(prefix));
        out.sort();
        out
    }

    /// The stored bytes of `key`.
    pub fn object(&self, key: &str) -> Vec<u8> {
        std::fs::read(self.root.join(BUCKET).join(key)).expect("stored object")
    }

    /// Stops accepting connections, as when the storage service goes down.
    pub fn stop(&self) {
        self.task.abort();
    }

    /// The environment for a `TestApp` that stores in this server.
    pub fn env(&self, secret: &str) -> super::TestEnv {
        super::TestEnv::default()
            .set("CAMAU_STORAGE", "s3")
            .set("CAMAU_S3_BUCKET", BUCKET)
            .set("CAMAU_S3_ENDPOINT", self.endpoint.clone())
            .set("CAMAU_S3_ACCESS_KEY_ID", ACCESS_KEY)
            .set("CAMAU_S3_SECRET_ACCESS_KEY", secret)
            .set("CAMAU_S3_ALLOW_HTTP", "true")
    }
}

impl Drop for S3TestServer {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
