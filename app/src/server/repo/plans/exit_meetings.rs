//! The exit meeting before move-out: its time, the invited services and their attendance.

use super::*;
use crate::domain::plan::{MeetingService, UnitMeetingView};

/// Whether the exit meeting is recorded as held.
pub async fn exit_meeting_held(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM exit_meeting WHERE stay_id = ?1 AND held = 1) AS "held!: bool""#,
        stay.0
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The exit meeting as crisis center staff see it; `None` when none is planned.
pub async fn exit_meeting(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<ExitMeetingView>, ServerError> {
    let Some(m) = sqlx::query!(
        r#"SELECT starts_at, held AS "held: bool", summary FROM exit_meeting WHERE stay_id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(ExitMeetingView {
        starts_in_repeated_hour: in_repeated_hour(&m.starts_at),
        starts_at: m.starts_at,
        held: m.held,
        summary: m.summary,
        services: meeting_services(conn, stay).await?,
    }))
}

/// The exit meeting as a caseworker sees it (without its summary); `None` when none is planned.
pub async fn unit_exit_meeting(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Option<UnitMeetingView>, ServerError> {
    let Some(m) = sqlx::query!(
        r#"SELECT starts_at, held AS "held: bool" FROM exit_meeting WHERE stay_id = ?1"#,
        stay.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(UnitMeetingView {
        starts_in_repeated_hour: in_repeated_hour(&m.starts_at),
        starts_at: m.starts_at,
        held: m.held,
        services: meeting_services(conn, stay).await?,
    }))
}

/// The services invited to a stay's exit meeting, with their answers.
async fn meeting_services(
    conn: &mut SqliteConnection,
    stay: StayId,
) -> Result<Vec<MeetingService>, ServerError> {
    sqlx::query!(
        "SELECT x.service_id, s.name, x.attendance
         FROM exit_meeting_service x JOIN service s ON s.id = x.service_id
         WHERE x.stay_id = ?1 ORDER BY s.district_id, s.kind, s.id",
        stay.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|s| {
        Ok(MeetingService {
            service: crate::domain::ServiceId(s.service_id),
            name: s.name,
            attendance: crate::domain::plan::Attendance::parse(&s.attendance)
                .ok_or_else(|| corrupt("exit_meeting_service.attendance"))?,
        })
    })
    .collect()
}

/// Whether a meeting's Oslo local time (`YYYY-MM-DDTHH:MM`) falls in the hour repeated when
/// summer time ends.
fn in_repeated_hour(starts_at: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(starts_at, &format).is_ok_and(|t| {
        crate::server::clock::oslo_local_time(t) == crate::server::clock::OsloLocalTime::Repeated
    })
}

/// Plans (or re-plans) the exit meeting: its time, and the invited services (answers of
/// services still invited are kept; services no longer invited are removed).
pub async fn save_exit_meeting(
    conn: &mut SqliteConnection,
    stay: StayId,
    starts_at: &str,
    invited: &[crate::domain::ServiceId],
) -> Result<(), ServerError> {
    sqlx::query!(
        "INSERT INTO exit_meeting (stay_id, starts_at) VALUES (?1, ?2)
         ON CONFLICT (stay_id) DO UPDATE SET starts_at = excluded.starts_at",
        stay.0,
        starts_at
    )
    .execute(&mut *conn)
    .await?;
    let keep = serde_json::to_string(&invited.iter().map(|s| s.0).collect::<Vec<_>>())
        .map_err(|e| ServerError::Pragma(e.to_string()))?;
    sqlx::query!(
        "DELETE FROM exit_meeting_service
         WHERE stay_id = ?1 AND service_id NOT IN (SELECT value FROM json_each(?2))",
        stay.0,
        keep
    )
    .execute(&mut *conn)
    .await?;
    for service in invited {
        sqlx::query!(
            "INSERT INTO exit_meeting_service (stay_id, service_id) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
            stay.0,
            service.0
        )
        .execute(&mut *conn)
        .await
        .map_err(foreign_key_as("invited"))?;
    }
    Ok(())
}

/// A district's NAV office, child welfare service and violence coordinator.
pub async fn standard_services(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<(crate::domain::ServiceId, ServiceKind)>, ServerError> {
    sqlx::query!(
        r#"SELECT id AS "id!", kind FROM service WHERE district_id = ?1 AND kind <> 'other' ORDER BY kind"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            crate::domain::ServiceId(r.id),
            ServiceKind::parse(&r.kind).map_err(|_| corrupt("service.kind"))?,
        ))
    })
    .collect()
}

/// Every service of a district, by name.
pub async fn services_of(
    conn: &mut SqliteConnection,
    district: DistrictId,
) -> Result<Vec<crate::domain::plan::ServiceChoice>, ServerError> {
    Ok(sqlx::query!(
        r#"SELECT id AS "id!", name FROM service WHERE district_id = ?1 ORDER BY kind = 'other', kind, name"#,
        district.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| crate::domain::plan::ServiceChoice {
        service: crate::domain::ServiceId(r.id),
        name: r.name,
    })
    .collect())
}

/// Records how an invited service answered.
pub async fn set_attendance(
    conn: &mut SqliteConnection,
    stay: StayId,
    service: crate::domain::ServiceId,
    attendance: crate::domain::plan::Attendance,
) -> Result<(), ServerError> {
    let attendance = attendance.as_str();
    sqlx::query!(
        "UPDATE exit_meeting_service SET attendance = ?3 WHERE stay_id = ?1 AND service_id = ?2",
        stay.0,
        service.0,
        attendance
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks the exit meeting held, with its summary.
pub async fn mark_exit_meeting_held(
    conn: &mut SqliteConnection,
    stay: StayId,
    summary: Option<&str>,
) -> Result<(), ServerError> {
    sqlx::query!(
        "UPDATE exit_meeting SET held = 1, summary = ?2 WHERE stay_id = ?1",
        stay.0,
        summary
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
