//! Enumerations stored as text, mapped one way only. `text_enum!` declares the enum with its
//! text for each variant, once: serde, the OpenAPI schema and diesel all use that text, and a
//! value in the database that names no variant is an error (a bug to see in the log), never a
//! silent default.

/// What every `text_enum!` is, so its own test can check it.
pub trait TextEnum: Copy + 'static {
    fn all() -> &'static [Self];
    fn text(self) -> &'static str;
}

/// Declares a text-backed enum: `text_enum! { pub enum Kind { A = "a", B = "b" } }`.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        // For the OpenAPI schema, which does not see the per-variant names; a test checks
        // that both give the same text.
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The text stored and sent for this variant.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl $crate::db::text_enum::TextEnum for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }

            fn text(self) -> &'static str {
                self.as_str()
            }
        }

        /// Its serde, OpenAPI and database texts agree (a test function may share the enum's
        /// name: functions and types are apart).
        #[cfg(test)]
        #[test]
        #[allow(non_snake_case)]
        fn $name() {
            $crate::db::text_enum::agrees::<$name>();
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                match std::str::from_utf8(value.as_bytes())? {
                    $($text => Ok(Self::$variant),)+
                    other => Err(format!(
                        "{:?} is not a {} known to this version",
                        other,
                        stringify!($name)
                    )
                    .into()),
                }
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }
    };
}

/// serde, the OpenAPI schema and the database text agree for every variant: each
/// `text_enum!` runs this as its own test, named after the enum.
#[cfg(test)]
pub fn agrees<T: TextEnum + serde::Serialize + utoipa::ToSchema>() {
    let schema = serde_json::to_value(T::schema()).unwrap();
    let listed: Vec<&str> = schema["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{} has no enum list", T::name()))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let texts: Vec<&str> = T::all().iter().map(|v| v.text()).collect();
    assert_eq!(listed, texts, "{}", T::name());
    for v in T::all() {
        assert_eq!(serde_json::to_value(v).unwrap(), v.text());
    }
}
