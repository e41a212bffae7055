//! Object storage for photos: S3 (any S3-compatible service), local disk (the default for
//! `scripts/run`) or memory (unit tests), chosen by configuration. Keys are built from ids,
//! never from client file names.

use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, RetryConfig};
use secrecy::ExposeSecret;

use crate::config::StorageConfig;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl Storage {
    pub fn from_config(config: &StorageConfig) -> Result<Self, object_store::Error> {
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
                Arc::new(builder.build()?)
            }
        };
        Ok(Storage { store })
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
