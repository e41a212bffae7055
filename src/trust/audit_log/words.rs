//! The access log in plain words, English and Welsh: "Your mentor Alex viewed your goals",
//! "Gwelwyd eich nodau gan eich mentor Alex". Welsh uses the impersonal past ("gwelwyd":
//! was seen) so one sentence shape serves every actor.

use uuid::Uuid;

use crate::fields::Lang;
use crate::trust::audit::Action;
use crate::trust::audit::model::EventRow;

/// The part of the record a read showed.
fn part(part: &str) -> (&'static str, &'static str) {
    match part {
        "record" => ("your record", "eich cofnod"),
        "mentors" => ("who your mentors are", "pwy yw eich mentoriaid"),
        "profile" => ("your strengths profile", "eich proffil cryfderau"),
        "profile_history" => ("your profile's history", "hanes eich proffil"),
        "circle" => ("your circle of support", "eich cylch cefnogaeth"),
        "goals" => ("your goals", "eich nodau"),
        "reviews" => ("your reviews", "eich adolygiadau"),
        "circle_invitations" => ("your circle's invitations", "gwahoddiadau eich cylch"),
        "device_codes" => ("your sign-in codes", "eich codau mewngofnodi"),
        "stories" => ("your stories", "eich straeon"),
        "feed" => ("your news", "eich newyddion"),
        "outcome_codes" => ("your goals' outcome codes", "codau canlyniad eich nodau"),
        "access_log" => (
            "who has seen your record",
            "pwy sydd wedi gweld eich cofnod",
        ),
        "consents" => ("your consents", "eich caniatâd"),
        "holds" => ("the holds on your record", "y daliadau ar eich cofnod"),
        "export" => ("a copy of your record", "copi o'ch cofnod"),
        _ => ("your record", "eich cofnod"),
    }
}

/// A change: what the actor did (English, after the actor) and the same in Welsh (impersonal,
/// before "gan" and the actor).
fn change(action: &str) -> (&'static str, &'static str) {
    use Action::*;
    // A change a later version recorded, which this one has no words for.
    let Some(action) = Action::parse(action) else {
        return ("changed your record", "Newidiwyd eich cofnod");
    };
    match action {
        PersonCreated => ("created your record", "Crëwyd eich cofnod"),
        PersonUpdated => ("changed your record", "Newidiwyd eich cofnod"),
        PersonSupportDatesChanged => (
            "changed your support dates",
            "Newidiwyd dyddiadau eich cefnogaeth",
        ),
        PersonMentorsAssigned => ("changed who your mentors are", "Newidiwyd eich mentoriaid"),
        PersonDeviceCodeIssued => ("made a sign-in code for you", "Gwnaed cod mewngofnodi"),
        PersonDeviceCodeRedeemed => (
            "signed in on a new phone or tablet",
            "Mewngofnodwyd ar ffôn neu lechen newydd",
        ),
        PersonDeviceCodeRevoked => ("withdrew a sign-in code", "Tynnwyd cod mewngofnodi yn ôl"),
        ProfileUpdated => (
            "changed your strengths profile",
            "Newidiwyd eich proffil cryfderau",
        ),
        CircleMemberAdded => (
            "added someone to your circle",
            "Ychwanegwyd rhywun i'ch cylch",
        ),
        CircleMemberUpdated => (
            "changed someone's place in your circle",
            "Newidiwyd lle rhywun yn eich cylch",
        ),
        CircleMemberRemoved => (
            "removed someone from your circle",
            "Tynnwyd rhywun o'ch cylch",
        ),
        CircleMemberLeft => ("left your circle", "Gadawyd eich cylch"),
        CircleInvitationCreated => (
            "invited someone in your circle to sign in",
            "Gwahoddwyd rhywun yn eich cylch",
        ),
        CircleInvitationAccepted => (
            "accepted an invitation to your circle",
            "Derbyniwyd gwahoddiad i'ch cylch",
        ),
        CircleInvitationRevoked => (
            "withdrew a circle invitation",
            "Tynnwyd gwahoddiad i'ch cylch yn ôl",
        ),
        GoalCreated => ("added a goal", "Ychwanegwyd nod"),
        GoalUpdated => ("changed a goal", "Newidiwyd nod"),
        GoalActionCreated => ("added a step to a goal", "Ychwanegwyd cam at nod"),
        GoalActionSuggested => ("suggested a step", "Awgrymwyd cam"),
        GoalActionUpdated => ("changed a step", "Newidiwyd cam"),
        GoalCodeAdded => ("linked a goal to an outcome", "Cysylltwyd nod â chanlyniad"),
        GoalCodeRemoved => ("unlinked a goal from an outcome", "Datgysylltwyd nod"),
        ReviewCreated => ("recorded a review", "Cofnodwyd adolygiad"),
        ReviewUpdated => ("changed a review", "Newidiwyd adolygiad"),
        StoryPosted => ("posted a story", "Postiwyd stori"),
        StorySuggested => ("suggested a story", "Awgrymwyd stori"),
        StoryAccepted => ("accepted a story", "Derbyniwyd stori"),
        StoryUpdated => ("changed a story", "Newidiwyd stori"),
        StoryDeleted => ("deleted a story", "Dilëwyd stori"),
        PhotoUploaded => ("added a photo", "Ychwanegwyd llun"),
        PhotoDeleted => ("deleted a photo", "Dilëwyd llun"),
        ReactionAdded => ("reacted to something", "Ymatebwyd i rywbeth"),
        CommentPosted => ("wrote a comment", "Ysgrifennwyd sylw"),
        CommentHidden => ("hid a comment", "Cuddiwyd sylw"),
        ConsentGiven => ("recorded a consent", "Cofnodwyd caniatâd"),
        ConsentWithdrawn => ("withdrew a consent", "Tynnwyd caniatâd yn ôl"),
        ExportRequested => (
            "asked for a copy of your record",
            "Gofynnwyd am gopi o'ch cofnod",
        ),
        ExportDownloaded => (
            "downloaded a copy of your record",
            "Lawrlwythwyd copi o'ch cofnod",
        ),
        HoldPlaced => (
            "put a hold on your record",
            "Rhoddwyd daliad ar eich cofnod",
        ),
        HoldLifted => (
            "lifted a hold on your record",
            "Codwyd daliad ar eich cofnod",
        ),
        ErasureRequested => (
            "asked for your record to be erased",
            "Gofynnwyd am ddileu eich cofnod",
        ),
        ErasureCancelled => (
            "cancelled erasing your record",
            "Canslwyd dileu eich cofnod",
        ),
        ConsentRefused => (
            "recorded a refusal of consent",
            "Cofnodwyd gwrthod caniatâd",
        ),
        ConcernRaised => ("said they were worried", "Codwyd pryder"),
        ConcernSettled => ("settled a worry", "Datryswyd pryder"),
        PersonErased => ("erased your record", "Dilëwyd eich cofnod"),
        // About an account or the organisation, never on a person's log (they name no person);
        // worded for completeness.
        AccountEmailVerified
        | AccountPasswordChanged
        | AccountPasswordReset
        | AccountPinChanged
        | AccountUpdated
        | AuditExported
        | DemoPeopleGenerated
        | FrameworkCreated
        | HousekeepingAbandonedUploadsRemoved
        | HousekeepingExpiredPurged
        | InvitationAccepted
        | InvitationCreated
        | InvitationRevoked
        | NotificationsSettingsChanged
        | OrganisationCreated
        | OrganisationUpdated => ("changed your record", "Newidiwyd eich cofnod"),
    }
}

/// Who, as the person reads it.
fn who(row: &EventRow, person_account: Option<Uuid>, lang: Lang) -> String {
    let cy = lang == Lang::Cy;
    if row.actor_account_id.is_some() && row.actor_account_id == person_account {
        return if cy { "chi" } else { "You" }.into();
    }
    let Some(name) = row.actor_name.as_deref() else {
        return match (row.actor_account_id, cy) {
            (None, _) => "Camau".into(),
            (Some(_), false) => "Someone no longer on Camau".into(),
            (Some(_), true) => "rhywun nad yw ar Camau mwyach".into(),
        };
    };
    let (en, cy_) = match row.actor_role.as_deref() {
        Some("mentor") => ("Your mentor", "eich mentor"),
        Some("coordinator") => ("Coordinator", "y cydlynydd"),
        Some("admin") => ("Administrator", "y gweinyddwr"),
        Some("supporter") => {
            return if cy {
                format!("{name} o'ch cylch")
            } else {
                format!("{name} from your circle")
            };
        }
        _ => return name.to_owned(),
    };
    if cy {
        format!("{cy_} {name}")
    } else {
        format!("{en} {name}")
    }
}

/// The event in one sentence.
pub fn summary(row: &EventRow, person_account: Option<Uuid>, lang: Lang) -> String {
    let who = who(row, person_account, lang);
    let by_you = who == "chi";
    let cy_tail = |head: &str| {
        if by_you {
            format!("{head} gennych chi")
        } else {
            format!("{head} gan {who}")
        }
    };
    match (row.action.strip_suffix(".viewed"), lang) {
        (Some(p), Lang::En) => format!("{who} viewed {}", part(p).0),
        (Some(p), Lang::Cy) => cy_tail(&format!("Gwelwyd {}", part(p).1)),
        (None, Lang::En) => format!("{who} {}", change(&row.action).0),
        (None, Lang::Cy) => cy_tail(change(&row.action).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(action: &str, role: &str, actor: Option<Uuid>, name: Option<&str>) -> EventRow {
        EventRow {
            id: Uuid::nil(),
            occurred_at: time::OffsetDateTime::UNIX_EPOCH,
            actor_account_id: actor,
            actor_role: Some(role.into()),
            actor_name: name.map(Into::into),
            person_id: None,
            action: action.into(),
            subject_type: "person".into(),
            subject_id: None,
            request_id: None,
            client_request_id: None,
        }
    }

    #[test]
    fn sentences_name_the_actor_as_the_person_knows_them() {
        let alex = Some(Uuid::now_v7());
        let me = Some(Uuid::now_v7());
        let r = row("goals.viewed", "mentor", alex, Some("Alex"));
        assert_eq!(
            summary(&r, me, Lang::En),
            "Your mentor Alex viewed your goals"
        );
        assert_eq!(
            summary(&r, me, Lang::Cy),
            "Gwelwyd eich nodau gan eich mentor Alex"
        );
        let mine = row("goal.created", "person", me, Some("Sam"));
        assert_eq!(summary(&mine, me, Lang::En), "You added a goal");
        assert_eq!(summary(&mine, me, Lang::Cy), "Ychwanegwyd nod gennych chi");
        let gone = row("story.deleted", "supporter", alex, None);
        assert_eq!(
            summary(&gone, me, Lang::En),
            "Someone no longer on Camau deleted a story"
        );
        let system = row("person.updated", "system", None, None);
        assert_eq!(summary(&system, me, Lang::En), "Camau changed your record");
    }
}
