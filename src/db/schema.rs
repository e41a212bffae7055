// The shape `diesel print-schema` writes; kept by hand and checked against the migrated
// database by the `schema::schema_rs_matches_the_migrated_database` test.

diesel::table! {
    accounts (id) {
        id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        email -> Nullable<Text>,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        deactivated_at -> Nullable<Timestamptz>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        email_verified_at -> Nullable<Timestamptz>,
        safeguarding_lead -> Bool,
        speaks_welsh -> Bool,
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
        person_id -> Nullable<Uuid>,
        actor_role -> Nullable<Text>,
        request_id -> Nullable<Text>,
        client_request_id -> Nullable<Text>,
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
    idempotency_keys (account_id, key_hash) {
        account_id -> Uuid,
        key_hash -> Bytea,
        request_hash -> Bytea,
        status -> Nullable<Int4>,
        sealed -> Nullable<Bytea>,
        checks -> Jsonb,
        lease_until -> Timestamptz,
        created_at -> Timestamptz,
        mentions -> Array<Uuid>,
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
    }
}

diesel::table! {
    organisations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        created_at -> Timestamptz,
        default_framework_id -> Nullable<Uuid>,
        report_threshold -> Nullable<Int4>,
        retention_months -> Nullable<Int4>,
        retention_previous_months -> Nullable<Int4>,
        retention_effective_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    person_devices (id) {
        id -> Uuid,
        account_id -> Uuid,
        key_hash -> Bytea,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        session_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        successor_hash -> Nullable<Bytea>,
        successor_sealed -> Nullable<Bytea>,
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

diesel::table! {
    console_sessions (session_id) {
        session_id -> Uuid,
        token_hash -> Bytea,
        last_seen_at -> Timestamptz,
    }
}

diesel::table! {
    circle_invitations (id) {
        id -> Uuid,
        member_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        code_hash -> Bytea,
        issued_by -> Uuid,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    circle_members (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        name -> Text,
        relationship -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        can_see_profile -> Bool,
        can_see_goals -> Bool,
        can_see_stories -> Bool,
        can_see_reviews -> Bool,
        can_encourage -> Bool,
        can_contribute -> Bool,
        parental_responsibility -> Bool,
        account_id -> Nullable<Uuid>,
        removed_at -> Nullable<Timestamptz>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

// A view (migration 000028): a supporter's live membership and what it opens, narrowed by
// consent. PostgreSQL calls every column of a view nullable.
diesel::table! {
    circle_grants (member_id) {
        member_id -> Nullable<Uuid>,
        account_id -> Nullable<Uuid>,
        person_id -> Nullable<Uuid>,
        profile -> Nullable<Bool>,
        goals -> Nullable<Bool>,
        stories -> Nullable<Bool>,
        photos -> Nullable<Bool>,
        reviews -> Nullable<Bool>,
        encourage -> Nullable<Bool>,
        contribute -> Nullable<Bool>,
    }
}

// A view (migration 000028): everyone an account may follow, and how.
diesel::table! {
    person_viewers (account_id, person_id) {
        account_id -> Nullable<Uuid>,
        person_id -> Nullable<Uuid>,
        preferred_name -> Nullable<Text>,
        person_account -> Nullable<Uuid>,
        member_id -> Nullable<Uuid>,
        full_view -> Nullable<Bool>,
        profile -> Nullable<Bool>,
        goals -> Nullable<Bool>,
        stories -> Nullable<Bool>,
        photos -> Nullable<Bool>,
        reviews -> Nullable<Bool>,
    }
}

diesel::table! {
    device_codes (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        code_hash -> Bytea,
        issued_by -> Uuid,
        expires_at -> Timestamptz,
        redeemed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    email_verifications (code_hash) {
        code_hash -> Bytea,
        account_id -> Uuid,
        email -> Text,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    goal_actions (id) {
        id -> Uuid,
        goal_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        description -> Text,
        owner -> Text,
        owner_member_id -> Nullable<Uuid>,
        due_on -> Nullable<Date>,
        done_at -> Nullable<Timestamptz>,
        state -> Text,
        author_account_id -> Uuid,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    goal_status_changes (id) {
        id -> Uuid,
        goal_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        status -> Text,
        changed_by -> Uuid,
        changed_at -> Timestamptz,
    }
}

diesel::table! {
    goals (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        title -> Text,
        why_it_matters -> Nullable<Text>,
        lang -> Text,
        target_date -> Nullable<Date>,
        status -> Text,
        scale_id -> Uuid,
        author_account_id -> Uuid,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    mentor_assignments (person_id, mentor_id) {
        person_id -> Uuid,
        mentor_id -> Uuid,
        organisation_id -> Uuid,
        assigned_by -> Nullable<Uuid>,
        assigned_at -> Timestamptz,
    }
}

diesel::table! {
    outbox_emails (id) {
        id -> Uuid,
        kind -> Text,
        sealed -> Nullable<Bytea>,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Bytea,
        account_id -> Uuid,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    people (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        preferred_name -> Text,
        legal_name -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        pronouns -> Nullable<Text>,
        preferred_language -> Text,
        welsh_offered -> Bool,
        welsh_accepted -> Nullable<Bool>,
        communication_needs -> Array<Text>,
        service_type -> Text,
        support_started_on -> Date,
        support_ended_on -> Nullable<Date>,
        account_id -> Nullable<Uuid>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        gender -> Nullable<Text>,
        support_ended_recorded_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    profile_entries (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        section -> Text,
        body -> Text,
        lang -> Text,
        author_account_id -> Uuid,
        author_kind -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    review_ratings (review_id, goal_id) {
        review_id -> Uuid,
        goal_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        value -> Float8,
        comment -> Nullable<Text>,
        held_on -> Date,
    }
}

diesel::table! {
    reviews (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        held_on -> Date,
        person_took_part -> Bool,
        staff_participants -> Array<Uuid>,
        circle_participants -> Array<Uuid>,
        whats_working -> Nullable<Text>,
        whats_not_working -> Nullable<Text>,
        staff_notes -> Nullable<Text>,
        lang -> Text,
        next_review_on -> Nullable<Date>,
        author_account_id -> Uuid,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    scales (id) {
        id -> Uuid,
        code -> Text,
        name_en -> Text,
        name_cy -> Nullable<Text>,
        min_value -> Float8,
        max_value -> Float8,
        step -> Float8,
        labels -> Jsonb,
        is_default -> Bool,
        source_note -> Nullable<Text>,
    }
}

diesel::table! {
    frameworks (id) {
        id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        key -> Text,
        nation -> Nullable<Text>,
        name_en -> Text,
        name_cy -> Nullable<Text>,
        source -> Text,
        status -> Text,
        source_note -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    framework_versions (id) {
        id -> Uuid,
        framework_id -> Uuid,
        label -> Text,
        effective_from -> Nullable<Date>,
        effective_to -> Nullable<Date>,
    }
}

diesel::table! {
    outcome_areas (id) {
        id -> Uuid,
        version_id -> Uuid,
        code -> Text,
        label_en -> Text,
        label_cy -> Nullable<Text>,
        applies_to -> Text,
        position -> Int4,
    }
}

diesel::table! {
    outcome_statements (id) {
        id -> Uuid,
        area_id -> Uuid,
        code -> Text,
        label_en -> Text,
        label_cy -> Nullable<Text>,
        position -> Int4,
    }
}

diesel::table! {
    goal_codes (id) {
        id -> Uuid,
        goal_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        area_id -> Uuid,
        statement_id -> Nullable<Uuid>,
        coded_by -> Uuid,
        coded_at -> Timestamptz,
        removed_at -> Nullable<Timestamptz>,
        removed_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    activities (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        kind -> Text,
        actor_account_id -> Uuid,
        story_id -> Nullable<Uuid>,
        goal_id -> Nullable<Uuid>,
        action_id -> Nullable<Uuid>,
        review_id -> Nullable<Uuid>,
        comment_id -> Nullable<Uuid>,
        reaction -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    consents (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        purpose -> Text,
        audience -> Text,
        decision -> Text,
        given_by -> Text,
        wording_version -> Text,
        recorded_by -> Uuid,
        recorded_at -> Timestamptz,
        current -> Bool,
        withdrawn_at -> Nullable<Timestamptz>,
        withdrawn_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    erasure_requests (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        requested_by -> Uuid,
        code_hash -> Bytea,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    erasures (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        erased_at -> Timestamptz,
        reason -> Text,
        counts -> Jsonb,
    }
}

diesel::table! {
    exports (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        requested_by -> Uuid,
        status -> Text,
        created_at -> Timestamptz,
        ready_at -> Nullable<Timestamptz>,
        expires_at -> Timestamptz,
        size_bytes -> Nullable<Int8>,
    }
}

diesel::table! {
    legal_holds (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        reason -> Text,
        placed_by -> Uuid,
        placed_at -> Timestamptz,
        lifted_at -> Nullable<Timestamptz>,
        lifted_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    concerns (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        story_id -> Nullable<Uuid>,
        comment_id -> Nullable<Uuid>,
        raised_by -> Uuid,
        reason -> Nullable<Text>,
        status -> Text,
        handled_by -> Nullable<Uuid>,
        handled_at -> Nullable<Timestamptz>,
        note -> Nullable<Text>,
        hid_item -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    push_devices (id) {
        id -> Uuid,
        account_id -> Uuid,
        platform -> Text,
        token_hash -> Bytea,
        token_sealed -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notification_settings (account_id) {
        account_id -> Uuid,
        quiet_from -> Nullable<Time>,
        quiet_until -> Nullable<Time>,
    }
}

diesel::table! {
    muted_people (account_id, person_id) {
        account_id -> Uuid,
        person_id -> Uuid,
    }
}

diesel::table! {
    notification_jobs (activity_id) {
        activity_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        activity_id -> Uuid,
        device_id -> Uuid,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    comments (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        story_id -> Nullable<Uuid>,
        goal_id -> Nullable<Uuid>,
        action_id -> Nullable<Uuid>,
        author_account_id -> Uuid,
        body -> Text,
        lang -> Text,
        hidden_at -> Nullable<Timestamptz>,
        hidden_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    photos (id) {
        id -> Uuid,
        story_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        width -> Int4,
        height -> Int4,
        uploaded_by -> Uuid,
        upload_key -> Nullable<Bytea>,
        body_hash -> Bytea,
        stored_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reactions (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        story_id -> Nullable<Uuid>,
        goal_id -> Nullable<Uuid>,
        action_id -> Nullable<Uuid>,
        account_id -> Uuid,
        kind -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    stories (id) {
        id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        body -> Text,
        lang -> Text,
        audience -> Text,
        goal_id -> Nullable<Uuid>,
        action_id -> Nullable<Uuid>,
        author_account_id -> Uuid,
        author_kind -> Text,
        status -> Text,
        hidden_at -> Nullable<Timestamptz>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    story_audience (story_id, member_id) {
        story_id -> Uuid,
        member_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
    }
}

diesel::table! {
    storage_deletions (prefix) {
        prefix -> Text,
        queued_at -> Timestamptz,
        attempts -> Int4,
    }
}

diesel::table! {
    quotas (key) {
        key -> Text,
        used -> Int4,
        window_ends_at -> Timestamptz,
    }
}

diesel::table! {
    sync_log (record_type, person_id, record_id) {
        record_type -> Text,
        record_id -> Uuid,
        person_id -> Uuid,
        organisation_id -> Uuid,
        op -> Text,
        tx -> Int8,
        seq -> Int8,
        changed_at -> Timestamptz,
        withdrawn -> Bool,
        unseen -> Bool,
    }
}

diesel::table! {
    sync_erasures (account_id, erased) {
        account_id -> Uuid,
        erased -> Uuid,
        tx -> Int8,
        seq -> Int8,
        erased_at -> Timestamptz,
    }
}

diesel::table! {
    photo_uploads (id) {
        id -> Uuid,
        story_id -> Uuid,
        account_id -> Uuid,
        length -> Int4,
        received -> Int4,
        photo_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    photo_upload_parts (upload_id, starts_at) {
        upload_id -> Uuid,
        starts_at -> Int4,
        sealed -> Bytea,
    }
}

diesel::table! {
    kpi_backfills (rollup) {
        rollup -> Text,
        after -> Nullable<Uuid>,
    }
}

diesel::table! {
    kpi_goals (goal_id) {
        goal_id -> Uuid,
        organisation_id -> Uuid,
        created_on -> Date,
        scale_id -> Uuid,
        rated_on -> Array<Date>,
        rated_value -> Array<Float8>,
        achieved_on -> Array<Date>,
        story_on -> Array<Date>,
        story_fpx -> Array<Int8>,
        person_id -> Nullable<Uuid>,
        code_frameworks -> Array<Uuid>,
        codes -> Array<Text>,
    }
}

diesel::table! {
    kpi_reviews (review_id) {
        review_id -> Uuid,
        on_time -> Bool,
        person_id -> Nullable<Uuid>,
        organisation_id -> Nullable<Uuid>,
        held_on -> Nullable<Date>,
        fp -> Nullable<Int8>,
    }
}

diesel::joinable!(accounts -> organisations (organisation_id));
diesel::joinable!(circle_members -> people (person_id));
diesel::joinable!(email_verifications -> accounts (account_id));
diesel::joinable!(goal_actions -> goals (goal_id));
diesel::joinable!(goals -> people (person_id));
diesel::joinable!(goals -> scales (scale_id));
diesel::joinable!(mentor_assignments -> people (person_id));
diesel::joinable!(password_resets -> accounts (account_id));
diesel::joinable!(people -> organisations (organisation_id));
diesel::joinable!(profile_entries -> accounts (author_account_id));
diesel::joinable!(review_ratings -> reviews (review_id));
diesel::joinable!(reviews -> people (person_id));
diesel::joinable!(invitations -> organisations (organisation_id));
diesel::joinable!(person_devices -> accounts (account_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(console_sessions -> sessions (session_id));
diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(stories -> people (person_id));
diesel::joinable!(stories -> accounts (author_account_id));
diesel::joinable!(photos -> stories (story_id));
diesel::joinable!(story_audience -> stories (story_id));
diesel::joinable!(story_audience -> circle_members (member_id));
diesel::joinable!(activities -> people (person_id));
diesel::joinable!(frameworks -> organisations (organisation_id));
diesel::joinable!(framework_versions -> frameworks (framework_id));
diesel::joinable!(outcome_areas -> framework_versions (version_id));
diesel::joinable!(outcome_statements -> outcome_areas (area_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    console_sessions,
    frameworks,
    framework_versions,
    goal_codes,
    outcome_areas,
    outcome_statements,
    activities,
    comments,
    concerns,
    consents,
    erasure_requests,
    erasures,
    exports,
    legal_holds,
    muted_people,
    quotas,
    sync_log,
    sync_erasures,
    photo_uploads,
    photo_upload_parts,
    notification_jobs,
    notification_settings,
    notifications,
    push_devices,
    photos,
    reactions,
    stories,
    story_audience,
    storage_deletions,
    audit_events,
    circle_invitations,
    circle_grants,
    circle_members,
    contracts,
    device_codes,
    email_verifications,
    goal_actions,
    goal_status_changes,
    goals,
    idempotency_keys,
    invitations,
    login_throttles,
    mentor_assignments,
    organisations,
    outbox_emails,
    password_resets,
    people,
    person_devices,
    person_viewers,
    profile_entries,
    refresh_tokens,
    review_ratings,
    reviews,
    scales,
    sessions,
);
