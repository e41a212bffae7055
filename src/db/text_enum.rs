//! Enumerations stored as text, mapped one way only. `text_enum!` declares the enum with its
//! text for each variant, once: serde, the OpenAPI schema and diesel all use that text, and a
//! value in the database that names no variant is an error (a bug to see in the log), never a
//! silent default.

/// What every `text_enum!` is, so tests can check them all alike.
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

#[cfg(test)]
mod tests {
    use super::TextEnum;

    /// serde, the OpenAPI schema and the database text agree for every variant.
    fn agrees<T: TextEnum + serde::Serialize + utoipa::ToSchema>() {
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

    #[test]
    fn every_text_enum_has_one_text_per_variant() {
        agrees::<crate::auth::roles::Role>();
        agrees::<crate::auth::roles::OrganisationKind>();
        agrees::<crate::fields::Lang>();
        agrees::<crate::goals::types::GoalStatus>();
        agrees::<crate::goals::types::Owner>();
        agrees::<crate::goals::types::ActionState>();
        agrees::<crate::circles::types::Relationship>();
        agrees::<crate::people::types::ServiceType>();
        agrees::<crate::people::types::Gender>();
        agrees::<crate::frameworks::types::AppliesTo>();
        agrees::<crate::people::types::CommunicationNeed>();
        agrees::<crate::profiles::types::Section>();
        agrees::<crate::stories::types::Audience>();
        agrees::<crate::stories::types::StoryStatus>();
        agrees::<crate::stories::types::AuthorKind>();
        agrees::<crate::photos::Size>();
        agrees::<crate::encouragement::types::ReactionKind>();
        agrees::<crate::activity::ActivityKind>();
        agrees::<crate::concerns::types::ConcernStatus>();
        agrees::<crate::concerns::types::ConcernItem>();
    }
}
