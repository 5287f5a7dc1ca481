//! Integration tests: many submissions at once keep one ballot per household (one browser
//! sending fifty, two app servers on one database) and many households at once all succeed.

use crate::collection::{ballots, household, open_round};

#[actix_web::test]
async fn fifty_simultaneous_submissions_store_one_ballot() {
    let s = open_round("c3", false).await;
    let phone = household(&s.app, "c3", "0102", "104730").await;
    let token = phone.csrf().await;
    let sends = (0..50).map(|i| {
        let title = format!("建议{i}");
        let token = token.clone();
        let phone = &phone;
        async move {
            phone
                .post_raw(
                    "/v/c3/ballot/confirm",
                    &[
                        ("csrf", token.as_str()),
                        ("expected_version", "0"),
                        ("category", "照明"),
                        ("title", &title),
                        ("details", ""),
                        ("place", ""),
                        ("cost", ""),
                        ("step", "confirm"),
                    ],
                )
                .await
        }
    });
    let pages = futures_util::future::join_all(sends).await;
    let stored = pages.iter().filter(|p| p.status == 303).count();
    let told = pages
        .iter()
        .filter(|p| p.status == 409 && p.body.contains("已经记下了"))
        .count();
    assert_eq!(
        (stored, told),
        (1, 49),
        "{:?}",
        pages.iter().map(|p| p.status).collect::<Vec<_>>()
    );
    let rows = ballots(&s.app, s.round);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2, 1);
}

/// Two app servers on one database (PostgreSQL in CI, a shared SQLite file otherwise), one
/// household submitting through both at once: the database keeps one ballot.
#[actix_web::test]
async fn two_app_servers_racing_for_one_household_store_one_ballot() {
    let s = open_round("cc", false).await;
    let second_dir = tempfile::tempdir().expect("tempdir");
    let mut settings = crate::helpers::test_settings(second_dir.path());
    settings.database_url = Some(s.app.state.settings.effective_database_url());
    let other = crate::helpers::spawn_with(settings, second_dir).await;
    assert_ne!(other.base, s.app.base);
    let on_first = household(&s.app, "cc", "0103", "104731").await;
    let on_second = household(&other, "cc", "0103", "104731").await;
    let (t1, t2) = (on_first.csrf().await, on_second.csrf().await);
    let sends = (0..40).map(|i| {
        let (browser, token) = if i % 2 == 0 {
            (&on_first, t1.clone())
        } else {
            (&on_second, t2.clone())
        };
        async move {
            browser
                .post_raw(
                    "/v/cc/ballot/confirm",
                    &[
                        ("csrf", token.as_str()),
                        ("expected_version", "0"),
                        ("category", "其他"),
                        ("title", "同时提交"),
                        ("step", "confirm"),
                    ],
                )
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        39,
        "{statuses:?}"
    );
    assert_eq!(ballots(&s.app, s.round).len(), 1);
}

/// Many households casting at the same moment all succeed: SQLite write transactions take the
/// write lock up front instead of failing with "database is locked" (found by the benchmark).
#[actix_web::test]
async fn many_households_casting_at_once_all_succeed() {
    let s = open_round("cd", false).await;
    // Registered after opening, so add them to the roll the way a clerk would.
    let mut phones = Vec::new();
    for n in 0..80 {
        let number = format!("07{n:02}");
        let id = s.app.household(&s.v, &number, "104729");
        s.app.with_conn(|c| {
            minyi::collection::store::add_to_roll(c, s.round, id, s.v.groups[0], "测试补登", 1)
                .expect("roll")
        });
        let phone = household(&s.app, "cd", &number, "104729").await;
        let token = phone.csrf().await;
        phones.push((phone, token));
    }
    let sends = phones.iter().map(|(phone, token)| async move {
        phone
            .post_raw(
                "/v/cd/ballot/confirm",
                &[
                    ("csrf", token.as_str()),
                    ("expected_version", "0"),
                    ("category", "其他"),
                    ("title", "同时"),
                    ("step", "confirm"),
                ],
            )
            .await
            .status
    });
    let statuses = futures_util::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(ballots(&s.app, s.round).len(), 80);
}
