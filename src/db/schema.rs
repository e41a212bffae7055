// @generated shape of `diesel print-schema`; kept by hand and checked against the migrated
// database by the `schema_drift` test.

diesel::table! {
    accounts (id) {
        id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        deactivated_at -> Nullable<Timestamptz>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        actor_account_id -> Nullable<Uuid>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Nullable<Uuid>,
        details -> Jsonb,
        occurred_at -> Timestamptz,
    }
}

diesel::table! {
    contracts (id) {
        id -> Uuid,
        commissioning_body_id -> Uuid,
        provider_id -> Uuid,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        email -> Text,
        role -> Text,
        code_hash -> Bytea,
        invited_by -> Nullable<Uuid>,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        account_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    login_throttles (key) {
        key -> Text,
        failures -> Int4,
        window_started_at -> Timestamptz,
        blocked_until -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    organisations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        session_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        account_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::joinable!(accounts -> organisations (organisation_id));
diesel::joinable!(invitations -> organisations (organisation_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> accounts (account_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    audit_events,
    contracts,
    invitations,
    login_throttles,
    organisations,
    refresh_tokens,
    sessions,
);
