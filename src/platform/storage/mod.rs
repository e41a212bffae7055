//! Object storage for photos: S3 (any S3-compatible service), local disk (the default for
//! `scripts/run`) or memory (unit tests), chosen by configuration. Keys are built from ids,
//! never from client file names. Nothing is public: S3 objects are read through short-lived
//! signed URLs handed out after authorization, local ones streamed by the API.

pub mod sweep;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{Attribute, ObjectStore, ObjectStoreExt, PutOptions, RetryConfig};
use secrecy::ExposeSecret;

use crate::config::StorageConfig;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The S3 store again, for signing URLs (local disk and memory cannot sign).
    signer: Option<Arc<AmazonS3>>,
}

impl Storage {
    pub fn from_config(config: &StorageConfig) -> Result<Self, object_store::Error> {
        let mut signer = None;
        let store: Arc<dyn ObjectStore> = match config {
            StorageConfig::Memory => Arc::new(InMemory::new()),
            StorageConfig::Local { path } => {
                std::fs::create_dir_all(path).map_err(|e| object_store::Error::Generic {
                    store: "local",
                    source: Box::new(e),
                })?;
                Arc::new(LocalFileSystem::new_with_prefix(path)?)
            }
            StorageConfig::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                allow_http,
            } => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_access_key_id(access_key_id)
                    .with_secret_access_key(secret_access_key.expose_secret())
                    .with_allow_http(*allow_http)
                    .with_retry(RetryConfig {
                        max_retries: 2,
                        retry_timeout: Duration::from_secs(5),
                        ..RetryConfig::default()
                    });
                if let Some(endpoint) = endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                let s3 = Arc::new(builder.build()?);
                signer = Some(s3.clone());
                s3
            }
        };
        Ok(Storage { store, signer })
    }

    /// Stores a JPEG under `key`. On S3 it carries its type and `private, no-store`, which S3
    /// sends back with every signed read (nothing keeps a copy of a person's photo).
    pub async fn put_jpeg(&self, key: &str, bytes: Vec<u8>) -> Result<(), object_store::Error> {
        self.put(key, bytes, "image/jpeg").await
    }

    /// Stores `bytes` of `content_type` under `key`, private as photos are.
    pub async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &'static str,
    ) -> Result<(), object_store::Error> {
        let mut opts = PutOptions::default();
        if self.signer.is_some() {
            opts.attributes
                .insert(Attribute::ContentType, content_type.into());
            opts.attributes
                .insert(Attribute::CacheControl, "private, no-store".into());
        }
        self.store
            .put_opts(&Path::from(key), Bytes::from(bytes).into(), opts)
            .await
            .map(|_| ())
    }

    /// Stores the file at `file` under `key` in parts (a multipart upload on S3), reading it
    /// a megabyte at a time: memory stays a few parts whatever the file's size.
    pub async fn put_file(
        &self,
        key: &str,
        file: &std::path::Path,
        content_type: &'static str,
    ) -> Result<(), object_store::Error> {
        use tokio::io::AsyncReadExt;
        /// S3's smallest part (but the last); two in flight at most.
        const PART: usize = 5 * 1024 * 1024;
        let io = |e: std::io::Error| object_store::Error::Generic {
            store: "file",
            source: Box::new(e),
        };
        let mut opts = object_store::PutMultipartOptions::default();
        if self.signer.is_some() {
            opts.attributes
                .insert(Attribute::ContentType, content_type.into());
            opts.attributes
                .insert(Attribute::CacheControl, "private, no-store".into());
        }
        let upload = self
            .store
            .put_multipart_opts(&Path::from(key), opts)
            .await?;
        let mut write = object_store::WriteMultipart::new_with_chunk_size(upload, PART);
        let mut reader = tokio::fs::File::open(file).await.map_err(io)?;
        let mut buf = vec![0u8; 1024 * 1024];
        let written = async {
            loop {
                let n = reader.read(&mut buf).await.map_err(io)?;
                if n == 0 {
                    return Ok(());
                }
                write.wait_for_capacity(2).await?;
                write.write(&buf[..n]);
            }
        }
        .await;
        // Parts of an upload that failed are aborted here; should `finish` itself fail, or the
        // process die, S3 keeps them until the bucket's AbortIncompleteMultipartUpload rule
        // (docs/SECURITY.md) removes them.
        match written {
            Ok(()) => write.finish().await.map(|_| ()),
            Err(e) => {
                let _ = write.abort().await;
                Err(e)
            }
        }
    }

    /// A URL that reads `key` for `ttl`, where the store can sign one (S3).
    pub async fn signed_url(
        &self,
        key: &str,
        ttl: Duration,
    ) -> Option<Result<String, object_store::Error>> {
        let signer = self.signer.as_ref()?;
        Some(
            signer
                .signed_url(object_store::signer::Method::GET, &Path::from(key), ttl)
                .await
                .map(|url| url.to_string()),
        )
    }

    /// The object's bytes as a stream, for stores that cannot sign URLs.
    pub async fn read(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, object_store::Error> {
        Ok(self.store.get(&Path::from(key)).await?.into_stream())
    }

    /// Removes every object under `prefix` (none is fine).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<usize, object_store::Error> {
        let prefix = Path::from(prefix);
        let keys: Vec<Path> = self
            .store
            .list(Some(&prefix))
            .map(|meta| meta.map(|m| m.location))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        for key in &keys {
            match self.store.delete(key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(keys.len())
    }

    /// Whether the store answers now, with our credentials: the readiness probe. A read of a
    /// probe object (written only when it is missing), so probing every few seconds does not
    /// write to storage.
    pub async fn check(&self) -> Result<(), object_store::Error> {
        let probe = Path::from("health/probe");
        match self.store.head(&probe).await {
            Ok(_) => Ok(()),
            Err(object_store::Error::NotFound { .. }) => {
                self.store.put(&probe, "ok".into()).await.map(|_| ())
            }
            Err(e) => Err(e),
        }
    }
}
