//! The rules the server enforces everywhere, stated in the spec by the same rule rather than
//! field by field, so a generated client (and a spec fuzzer) that validates from the spec sends
//! what the server takes:
//! - every string of a JSON body is free of control characters other than newline, carriage
//!   return and tab (`http::text`), and one that must have a character must have one that is
//!   not white space (`Validator::text` trims);
//! - every email of a JSON body is an email (`Validator::email`);
//! - every date is from 1900 to 2200 (`fields::iso_date`);
//! - `Idempotency-Key` is 1 to 255 visible ASCII characters (`http::idempotency`);
//! - tus headers: `Tus-Resumable` is `1.0.0`, `Upload-Length` 1 to the photo limit,
//!   `Upload-Offset` not negative, and every tus answer carries `Tus-Resumable`
//!   (`uploads::tus_resumable`), a 409 for a wrong offset the server's `Upload-Offset`;
//! - a body or answer that is not JSON or text is bytes: `type: string, format: binary`, as
//!   generators (openapi-typescript, openapi-python-client) expect.
//!
//! Worked on the document as JSON: the rules walk schemas, which is plainer there.

use serde_json::{Map, Value, json};

/// Control characters refused in any string of a JSON body (`http::text`): C0 but for tab,
/// newline and carriage return; DEL; C1.
const NO_CONTROLS: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";
/// The same, with at least one character that is not white space.
const NOT_BLANK: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";
/// Years 1900 to 2200 (`fields::EARLIEST_DATE`, `fields::LATEST_DATE`).
const DATE_RANGE: &str = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-";
/// `http::idempotency`: 1 to 255 bytes, none a control, as a header value can carry them.
const IDEMPOTENCY_KEY: &str = r"^[!-~]{1,255}$";
/// The default photo limit (`CAMAU_PHOTO_MAX_BYTES`).
const PHOTO_MAX_BYTES: u64 = 20 * 1024 * 1024;

pub fn apply(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut doc) = serde_json::to_value(&api) else {
        return api;
    };
    let mut schemas = doc["components"]["schemas"].take();
    let mut request_schemas = Vec::new();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                operation(op, &mut request_schemas);
            }
        }
    }
    // Each component reachable from a request body, once.
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = request_schemas.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get_mut(&name) {
            strings(schema, None, &mut request_schemas);
        }
    }
    // utoipa 6 has no `min_properties` for a field: a profile save names at least one section.
    if let Some(sections) = schemas
        .pointer_mut("/SaveProfile/properties/sections")
        .and_then(Value::as_object_mut)
    {
        sections.insert("minProperties".into(), json!(1));
    }
    doc["components"]["schemas"] = schemas;
    // A document the rules broke is a bug the test below finds; the server still starts.
    serde_json::from_value(doc).unwrap_or(api)
}

fn operation(op: &mut Value, request_schemas: &mut Vec<String>) {
    let has = |name: &str| {
        op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == name))
    };
    let (tus, offset) = (has("Tus-Resumable"), has("Upload-Offset"));
    let params = op.get_mut("parameters").and_then(Value::as_array_mut);
    for param in params.into_iter().flatten() {
        let name = param["name"].as_str().unwrap_or_default().to_owned();
        let Some(schema) = param.get_mut("schema") else {
            continue;
        };
        match name.as_str() {
            "Idempotency-Key" => {
                schema["type"] = json!("string");
                schema["pattern"] = json!(IDEMPOTENCY_KEY);
            }
            "Tus-Resumable" => {
                *schema = json!({"type": "string", "enum": [crate::social::uploads::TUS_VERSION]});
            }
            "Upload-Length" => {
                *schema = json!({"type": "integer", "format": "int64", "minimum": 1,
                    "maximum": PHOTO_MAX_BYTES});
                param["description"] = json!(
                    "The photo's size in bytes: 1 to the photo limit (`CAMAU_PHOTO_MAX_BYTES`, \
                     20 MiB unless configured)"
                );
            }
            "Upload-Offset" => {
                *schema = json!({"type": "integer", "format": "int64", "minimum": 0});
            }
            _ => dates(schema),
        }
    }
    let body = op
        .get_mut("requestBody")
        .and_then(|b| b.get_mut("content"))
        .and_then(Value::as_object_mut);
    if let Some(content) = body {
        for (media, body) in content.iter_mut() {
            if is_json(media) {
                if let Some(schema) = body.get_mut("schema") {
                    strings(schema, None, request_schemas);
                }
            } else {
                binary(media, body);
            }
        }
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in responses.iter_mut() {
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                for (media, body) in content.iter_mut() {
                    binary(media, body);
                }
            }
            if tus {
                let headers = response
                    .as_object_mut()
                    .map(|r| r.entry("headers").or_insert_with(|| json!({})));
                if let Some(headers) = headers {
                    headers["Tus-Resumable"] = json!({
                        "schema": {"type": "string", "enum": [crate::social::uploads::TUS_VERSION]},
                        "description": "tus 1.0: on every answer"
                    });
                    if offset && status == "409" {
                        headers["Upload-Offset"] = json!({
                            "schema": {"type": "integer", "format": "int64", "minimum": 0},
                            "description": "On a 409 for a wrong offset: the bytes the server holds; send from there"
                        });
                    }
                }
            }
        }
    }
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// Bytes: anything not JSON and not text.
fn binary(media: &str, body: &mut Value) {
    if is_json(media) || media.starts_with("text/") {
        return;
    }
    let Some(body) = body.as_object_mut() else {
        return;
    };
    let referenced = body.get("schema").is_some_and(|s| s.get("$ref").is_some());
    if !referenced {
        body.insert(
            "schema".into(),
            json!({"type": "string", "format": "binary"}),
        );
    }
}

/// The year range of every `format: date` string in `schema`.
fn dates(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj.get("format").and_then(Value::as_str) == Some("date") {
        obj.entry("pattern").or_insert_with(|| json!(DATE_RANGE));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for alt in obj
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            dates(alt);
        }
    }
}

fn is_string(obj: &Map<String, Value>) -> bool {
    match obj.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    }
}

/// The string rules of a request body schema, into its properties, items and alternatives;
/// the components it names are queued in `refs`.
fn strings(schema: &mut Value, property: Option<&str>, refs: &mut Vec<String>) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(name) = obj
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        refs.push(name.to_owned());
        return;
    }
    if is_string(obj) && !obj.contains_key("enum") {
        let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
        let email = property.is_some_and(|p| p == "email" || p.ends_with("_email"));
        match format.as_deref() {
            Some("date") => {
                obj.entry("pattern").or_insert_with(|| json!(DATE_RANGE));
            }
            Some("uuid" | "date-time") => {}
            _ if email => {
                obj.insert("format".into(), json!("email"));
                obj.insert("maxLength".into(), json!(254));
                obj.entry("pattern").or_insert_with(|| json!(NO_CONTROLS));
            }
            other => {
                let must_have_text = other != Some("password")
                    && obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) >= 1;
                let pattern = if must_have_text {
                    NOT_BLANK
                } else {
                    NO_CONTROLS
                };
                obj.entry("pattern").or_insert_with(|| json!(pattern));
            }
        }
    }
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            strings(prop, Some(name), refs);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = obj.get_mut(key) {
            strings(inner, None, refs);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for alt in obj
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            strings(alt, property, refs);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rules_leave_a_document_utoipa_reads_and_are_in_it() {
        let doc = serde_json::to_value(crate::routes::spec()).unwrap();
        let upload = &doc["paths"]["/v1/uploads/{upload_id}"]["patch"];
        assert_eq!(
            upload["responses"]["409"]["headers"]["Tus-Resumable"]["schema"]["enum"][0],
            "1.0.0"
        );
        assert_eq!(
            upload["requestBody"]["content"]["application/offset+octet-stream"]["schema"],
            serde_json::json!({"type": "string", "format": "binary"})
        );
        let org = &doc["components"]["schemas"]["CreateOrganisation"]["properties"];
        assert_eq!(org["first_admin_email"]["format"], "email");
        assert_eq!(org["name"]["pattern"], super::NOT_BLANK);
    }
}
