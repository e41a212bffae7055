//! From the bytes a phone sent to three clean JPEGs. The type comes from the magic bytes (never
//! the header or a file name); decoding is bounded in dimensions and allocation before any
//! pixel buffer exists; EXIF orientation is applied to the pixels; then everything is
//! **re-encoded** from pixels alone, so no EXIF, GPS, XMP, IPTC, ICC profile, comment,
//! embedded thumbnail or appended payload can survive into any stored size, whatever the
//! file carried. Runs on a blocking thread (see `Workers`).

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// Largest side a decoder may announce, and most pixels it may hold: a 50 MP phone photo
/// fits; a pixel flood or a decompression bomb is refused from its header.
const MAX_SIDE: u32 = 12_000;
const MAX_PIXELS: u64 = 50_000_000;
/// Most memory one decode may allocate.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// The stored sizes, by their longest side. (Bounding the original at 2560 px made a 12 MP
/// upload slower, not faster: the extra downscale cost more than the smaller encode saved.)
pub const ORIGINAL_SIDE: u32 = 4096;
pub const DISPLAY_SIDE: u32 = 1600;
pub const THUMB_SIDE: u32 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

/// Three re-encoded JPEGs and the original's (rotated) dimensions.
pub struct Processed {
    pub original: Vec<u8>,
    pub display: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The format, from the first bytes.
pub fn sniff(bytes: &[u8]) -> ApiResult<Format> {
    if bytes.is_empty() {
        return Err(ApiError::new(ErrorCode::UnsupportedImage).with_detail("the body is empty"));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    // ISO base media (`ftyp`) with a HEIF brand: what an iPhone sends by default.
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif",
        ]
        .iter()
        .any(|b| brand == *b)
        {
            return Err(ApiError::new(ErrorCode::HeicNotSupported));
        }
    }
    Err(ApiError::new(ErrorCode::UnsupportedImage))
}

/// Whether a JPEG's main image runs to its end-of-image marker. Decoders fill a truncated
/// scan with grey rather than fail; a photo cut off in transit is refused instead, so the
/// app sends it again. Segments are walked from the start, so an embedded thumbnail's own
/// end marker (inside APP1) does not count.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 1 < bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        match marker {
            0xD9 => return true,
            0xFF => i += 1,
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                if i + 3 >= bytes.len() {
                    return false;
                }
                let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
                i += 2 + len;
                if marker == 0xDA {
                    // Entropy-coded data: a real marker is 0xFF not followed by 0x00 or RSTn.
                    while i + 1 < bytes.len() {
                        if bytes[i] == 0xFF && !matches!(bytes[i + 1], 0x00 | 0xD0..=0xD7) {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
    }
    false
}

fn unreadable(e: impl std::fmt::Display) -> ApiError {
    tracing::debug!(error = %e, "photo could not be decoded");
    ApiError::new(ErrorCode::ImageUnreadable)
}

fn too_large(width: u32, height: u32) -> ApiError {
    ApiError::new(ErrorCode::ImageTooLarge).with_detail(format!(
        "{width}×{height} is more than this service takes ({MAX_PIXELS} pixels, \
         {MAX_SIDE} on a side)"
    ))
}

/// `image` fitted within `side` × `side` (never enlarged), filtered over every source pixel
/// (a bilinear convolution widened to the scale, SIMD where the CPU has it). It works through
/// one intermediate buffer of the source width by the target height, so memory stays below
/// the decoded image's.
fn downscale(image: &DynamicImage, side: u32) -> ApiResult<DynamicImage> {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let rgb = image
        .as_rgb8()
        .ok_or_else(|| ApiError::internal("downscale expects 8-bit RGB"))?;
    let (width, height) = rgb.dimensions();
    let longest = width.max(height);
    if longest <= side {
        return Ok(image.clone());
    }
    let fit =
        |n: u32| ((u64::from(n) * u64::from(side)).div_ceil(u64::from(longest)) as u32).max(1);
    let (w, h) = (fit(width).min(side), fit(height).min(side));
    let failed = |e: &dyn std::fmt::Display| ApiError::internal(format!("downscale: {e}"));
    let src =
        fast_image_resize::images::ImageRef::new(width, height, rgb.as_raw(), PixelType::U8x3)
            .map_err(|e| failed(&e))?;
    let mut dst = fast_image_resize::images::Image::new(w, h, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| failed(&e))?;
    let pixels = image::RgbImage::from_raw(w, h, dst.into_vec())
        .ok_or_else(|| ApiError::internal("downscale: buffer size"))?;
    Ok(DynamicImage::ImageRgb8(pixels))
}

/// A baseline JPEG of the pixels and nothing else (a bare JFIF header, no metadata).
fn encode(image: &DynamicImage, quality: u8) -> ApiResult<Vec<u8>> {
    let converted;
    let image = match image.as_rgb8() {
        Some(rgb) => rgb,
        None => {
            converted = image.to_rgb8();
            &converted
        }
    };
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    let (width, height) = (dimension(image.width())?, dimension(image.height())?);
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(image.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| ApiError::internal(format!("jpeg encoding: {e}")))?;
    Ok(out)
}

fn dimension(side: u32) -> ApiResult<u16> {
    u16::try_from(side).map_err(|_| ApiError::internal("an image side past 65535 after bounding"))
}

/// Decodes, rotates and re-encodes `bytes`.
pub fn process(bytes: &[u8]) -> ApiResult<Processed> {
    let format = sniff(bytes)?;
    if format == Format::Jpeg && !jpeg_is_complete(bytes) {
        return Err(ApiError::new(ErrorCode::ImageUnreadable)
            .with_detail("the JPEG ends before its image does: send it again"));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(
        Cursor::new(bytes),
        match format {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::WebP => ImageFormat::WebP,
        },
    );
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => ApiError::new(ErrorCode::ImageTooLarge),
        e => unreadable(e),
    })?;
    let (width, height) = decoder.dimensions();
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(too_large(width, height));
    }
    // The decoders' limits bound their own buffers, not the image they decode into: a 16-bit
    // RGBA image within the pixel bound would still need 400 MB.
    if decoder.total_bytes() > MAX_ALLOC {
        return Err(too_large(width, height));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(width, height),
        e => unreadable(e),
    })?;
    // Pixels only from here: 8-bit RGB (alpha and 16-bit depth have no place in a photo),
    // turned upright after narrowing so the turn copies the smaller image.
    let mut image = DynamicImage::ImageRgb8(image.into_rgb8());
    image.apply_orientation(orientation);
    if image.width().max(image.height()) > ORIGINAL_SIDE {
        image = downscale(&image, ORIGINAL_SIDE)?;
    }
    let display = downscale(&image, DISPLAY_SIDE)?;
    let thumb = downscale(&display, THUMB_SIDE)?;
    Ok(Processed {
        width: image.width(),
        height: image.height(),
        original: encode(&image, 88)?,
        display: encode(&display, 82)?,
        thumb: encode(&thumb, 75)?,
    })
}

/// Image work off the async workers, a few at a time: an upload waits up to `wait` for a
/// turn, then gets 503 with `Retry-After` rather than queueing without bound.
/// Uploads also reserve the bytes they may hold from a budget per instance
/// (`CAMAU_PHOTO_MAX_BYTES_IN_FLIGHT`), so many slow uploads cannot fill the memory.
#[derive(Clone)]
pub struct Workers {
    permits: Arc<Semaphore>,
    /// The byte budget, in KiB.
    bytes: Arc<Semaphore>,
    wait: Duration,
}

impl Workers {
    pub fn new(concurrency: usize, bytes_in_flight: usize, wait: Duration) -> Self {
        Workers {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            bytes: Arc::new(Semaphore::new(
                (bytes_in_flight / 1024).clamp(1, u32::MAX as usize),
            )),
            wait,
        }
    }

    /// Reserves room for an upload of up to `bytes`; 503 with `Retry-After` when the budget
    /// stays full for the queue wait.
    pub async fn reserve(&self, bytes: usize) -> ApiResult<tokio::sync::OwnedSemaphorePermit> {
        let kib = u32::try_from(bytes.div_ceil(1024).max(1)).unwrap_or(u32::MAX);
        tokio::time::timeout(self.wait, self.bytes.clone().acquire_many_owned(kib))
            .await
            .map_err(|_| ApiError::busy().with_detail("too many photos arriving; retry shortly"))?
            .map_err(|_| ApiError::busy())
    }

    pub async fn process(&self, bytes: Arc<Vec<u8>>) -> ApiResult<Processed> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::busy().with_detail("photo processing is busy; retry shortly"))?
            .map_err(|_| ApiError::busy())?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            process(&bytes)
        })
        .await
        .map_err(|e| {
            if e.is_panic() {
                // A decoder that panics on a hostile file has refused it; logged loudly, as a
                // panic in our own steps would look the same to the client.
                tracing::error!(error = %e, "photo processing panicked");
                unreadable("the image could not be decoded")
            } else {
                ApiError::busy().with_detail("photo processing stopped; retry shortly")
            }
        })?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_magic_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), Format::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....").unwrap(), Format::Png);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), Format::WebP);
        let code = |b: &[u8]| sniff(b).unwrap_err().code;
        assert_eq!(
            code(b"\0\0\0\x18ftypheic\0\0\0\0"),
            ErrorCode::HeicNotSupported
        );
        assert_eq!(code(b"<svg xmlns="), ErrorCode::UnsupportedImage);
        assert_eq!(code(b"\x7fELF\x02\x01"), ErrorCode::UnsupportedImage);
        assert_eq!(code(b""), ErrorCode::UnsupportedImage);
    }

    #[tokio::test]
    async fn past_the_bound_an_upload_waits_briefly_then_gets_503_with_retry_after() {
        let workers = Workers::new(1, 1 << 20, Duration::from_millis(50));
        let held = workers.permits.clone().acquire_owned().await.unwrap();
        let e = workers
            .process(Arc::new(vec![0xFF, 0xD8, 0xFF]))
            .await
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::ServiceUnavailable);
        assert!(e.retry_after_secs.is_some());
        drop(held);
        // With the turn free, the same bytes reach the decoder (and are found incomplete).
        let e = workers
            .process(Arc::new(vec![0xFF, 0xD8, 0xFF]))
            .await
            .err()
            .unwrap();
        assert_eq!(e.code, ErrorCode::ImageUnreadable);
    }

    /// A PNG header (no pixels) of `width` × `height`, 16-bit RGBA.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        fn crc(bytes: &[u8]) -> u32 {
            let mut c = 0xFFFF_FFFFu32;
            for b in bytes {
                c ^= u32::from(*b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xEDB8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let sum = crc(&out[start..]);
            out.extend_from_slice(&sum.to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &[0x78, 0x9C]);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn a_deep_image_within_the_pixel_bound_is_refused_before_its_pixels_are_allocated() {
        // 49 MP passes the pixel bound, but at 8 bytes a pixel it would need 392 MB.
        let err = process(&png_header(7000, 7000)).err().expect("refused");
        assert_eq!(err.code, ErrorCode::ImageTooLarge);
    }

    #[test]
    fn a_jpeg_is_complete_only_with_its_own_end_marker() {
        // SOI, an APP1 holding a thumbnail's end marker, SOS, scan data with stuffing, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0x00, 0x00];
        jpeg.extend([
            0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        assert!(!jpeg_is_complete(&jpeg));
        jpeg.extend([0xFF, 0xD9]);
        assert!(jpeg_is_complete(&jpeg));
    }
}
