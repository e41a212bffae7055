//! A JSON body has the shape the spec gives it: an array where the spec says object is
//! refused. serde's derived `Deserialize` takes a struct from an array too (its fields in
//! order), so without this `["Cymorth", "provider", "a@example.org"]` created an organisation
//! and `[null, null]` replaced notification settings: requests no client means, that the spec
//! says are wrong. Checked against the OpenAPI document itself (`RouteIndex`), so every body of
//! every operation is covered, nested objects too, including operations added later.

use serde_json::Value;

/// Follows `$ref`s into `schemas` (`components.schemas`).
fn resolve<'a>(mut schema: &'a Value, schemas: &'a Value) -> &'a Value {
    for _ in 0..8 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            Some(name) => schema = &schemas[name],
            None => break,
        }
    }
    schema
}

/// The alternatives a schema allows (`oneOf`/`anyOf`), or itself.
fn alternatives<'a>(schema: &'a Value, schemas: &'a Value) -> Vec<&'a Value> {
    let schema = resolve(schema, schemas);
    let alts = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .flat_map(|alt| alternatives(alt, schemas))
        .collect::<Vec<_>>();
    if alts.is_empty() { vec![schema] } else { alts }
}

/// The schemas that apply together (`allOf`), or itself.
fn parts<'a>(schema: &'a Value, schemas: &'a Value) -> Vec<&'a Value> {
    let schema = resolve(schema, schemas);
    let mut all = vec![schema];
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        all.extend(parts(part, schemas));
    }
    all
}

fn has_type(schema: &Value, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == ty),
        _ => false,
    }
}

/// Whether the schema allows an array at all.
fn allows_array(schema: &Value, schemas: &Value) -> bool {
    alternatives(schema, schemas).into_iter().any(|alt| {
        parts(alt, schemas).into_iter().any(|p| {
            has_type(p, "array")
                || [
                    "type",
                    "properties",
                    "allOf",
                    "oneOf",
                    "anyOf",
                    "enum",
                    "const",
                ]
                .iter()
                .all(|k| p.get(*k).is_none())
        })
    })
}

/// The schema of `key` in an object of this schema, if it names one.
fn property<'a>(schema: &'a Value, schemas: &'a Value, key: &str) -> Option<&'a Value> {
    alternatives(schema, schemas)
        .into_iter()
        .flat_map(|alt| parts(alt, schemas))
        .find_map(|p| {
            p.get("properties")
                .and_then(|props| props.get(key))
                .or_else(|| p.get("additionalProperties").filter(|a| a.is_object()))
        })
}

/// The schema of the items of an array of this schema, if it names one.
fn items<'a>(schema: &'a Value, schemas: &'a Value) -> Option<&'a Value> {
    alternatives(schema, schemas)
        .into_iter()
        .flat_map(|alt| parts(alt, schemas))
        .find_map(|p| p.get("items"))
}

/// The JSON pointer of the first array in `value` where `schema` allows none.
pub fn misplaced_array(value: &Value, schema: &Value, schemas: &Value) -> Option<String> {
    match value {
        Value::Array(elements) => {
            if !allows_array(schema, schemas) {
                return Some(String::new());
            }
            let item = items(schema, schemas)?;
            elements.iter().enumerate().find_map(|(i, element)| {
                misplaced_array(element, item, schemas).map(|at| format!("/{i}{at}"))
            })
        }
        Value::Object(map) => map.iter().find_map(|(key, element)| {
            let inner = property(schema, schemas, key)?;
            misplaced_array(element, inner, schemas)
                .map(|at| format!("/{}{at}", key.replace('~', "~0").replace('/', "~1")))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::misplaced_array;

    #[test]
    fn arrays_only_where_the_schema_has_them() {
        let schemas = json!({
            "Org": {"type": "object", "properties": {
                "name": {"type": "string"},
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                "lead": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Tag"}]},
            }},
            "Tag": {"type": "object", "properties": {"label": {"type": "string"}}},
        });
        let body = json!({"$ref": "#/components/schemas/Org"});
        let at = |v: serde_json::Value| misplaced_array(&v, &body, &schemas);
        assert_eq!(at(json!(["Camau", []])), Some(String::new()));
        assert_eq!(at(json!({"name": "x", "tags": [{"label": "a"}]})), None);
        assert_eq!(
            at(json!({"tags": [{"label": "a"}, ["b"]]})),
            Some("/tags/1".into())
        );
        assert_eq!(at(json!({"lead": ["b"]})), Some("/lead".into()));
        assert_eq!(at(json!({"lead": null, "unknown": [1]})), None);
    }
}
