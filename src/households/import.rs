//! Importing households from a spreadsheet, as a pure check: every row is validated first and
//! problems are reported row by row; the caller writes nothing unless every row is valid.
//! Accepts CSV and the tab-separated text a spreadsheet puts on the clipboard, with Chinese or
//! English headers, with or without a byte-order mark.

use std::collections::{HashMap, HashSet};

use super::domain::{HouseholdForm, ValidHousehold, validate};

/// One problem: the line in the file (1 = header), the column and an i18n message key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: &'static str,
    pub message_key: &'static str,
}

/// At most this many rows in one import; bigger villages import in parts.
pub const MAX_ROWS: usize = 5_000;

const COLUMNS: [(&str, &[&str]); 4] = [
    ("number", &["户号", "number"]),
    ("head_name", &["户主姓名", "户主", "head_name", "head"]),
    ("members", &["人口", "人数", "members"]),
    ("group", &["小组", "村民小组", "group"]),
];

/// Checks `text` against the village's groups (id, name) and the 户号 already registered.
pub fn check(
    text: &str,
    groups: &[(i64, String)],
    existing_numbers: &HashSet<String>,
) -> Result<Vec<ValidHousehold>, Vec<RowError>> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());

    let header_error = |field| {
        Err(vec![RowError {
            line: 1,
            field,
            message_key: "import.error.header",
        }])
    };
    let Ok(headers) = reader.headers().cloned() else {
        return header_error("header");
    };
    let mut index = HashMap::new();
    for (field, names) in COLUMNS {
        match headers.iter().position(|h| names.contains(&h)) {
            Some(i) => index.insert(field, i),
            None => return header_error(field),
        };
    }
    let group_by_name: HashMap<&str, i64> = groups
        .iter()
        .map(|(id, name)| (name.as_str(), *id))
        .collect();
    let group_ids: Vec<i64> = groups.iter().map(|(id, _)| *id).collect();

    let mut valid = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        if n >= MAX_ROWS {
            errors.push(RowError {
                line,
                field: "file",
                message_key: "import.error.too_many",
            });
            break;
        }
        let Ok(record) = record else {
            errors.push(RowError {
                line,
                field: "file",
                message_key: "import.error.unreadable",
            });
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue; // blank lines at the end of a sheet
        }
        let cell = |field: &str| record.get(index[field]).unwrap_or_default().to_string();
        let group_name = cell("group");
        let form = HouseholdForm {
            number: cell("number"),
            head_name: cell("head_name"),
            members: cell("members"),
            // An unknown group name becomes an id no group has, so validation reports it.
            group: group_by_name
                .get(group_name.as_str())
                .map_or(String::new(), i64::to_string),
            status: String::new(),
        };
        match validate(&form, &group_ids) {
            Ok(household) => {
                if existing_numbers.contains(&household.number) {
                    errors.push(RowError {
                        line,
                        field: "number",
                        message_key: "import.error.exists",
                    });
                } else if !seen.insert(household.number.clone()) {
                    errors.push(RowError {
                        line,
                        field: "number",
                        message_key: "import.error.repeated",
                    });
                } else {
                    valid.push(household);
                }
            }
            Err(field_errors) => errors.extend(field_errors.iter_own().map(
                |(field, message_key)| RowError {
                    line,
                    field,
                    message_key,
                },
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if valid.is_empty() {
        return Err(vec![RowError {
            line: 1,
            field: "file",
            message_key: "import.error.empty",
        }]);
    }
    Ok(valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> Vec<(i64, String)> {
        vec![(1, "第一组".to_string()), (2, "第二组".to_string())]
    }

    #[test]
    fn a_clean_csv_imports_every_row() {
        let text = "\u{feff}户号,户主姓名,人口,小组\n0101,张三,4,第一组\n0102,李四,2,第二组\n\n";
        let rows = check(text, &groups(), &HashSet::new()).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].number, "0102");
        assert_eq!(rows[1].group_id, 2);
    }

    #[test]
    fn tab_separated_text_with_english_headers_works() {
        let text = "number\thead_name\tmembers\tgroup\n7\tWang Fang\t3\t第一组\n";
        let rows = check(text, &groups(), &HashSet::new()).expect("valid");
        assert_eq!(rows[0].head_name, "Wang Fang");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "户号,户主姓名,人口,小组\n0101,张三,4,第一组\n0101,李四,2,第二组\n,王五,x,第九组\n0109,赵六,3,第一组\n";
        let existing: HashSet<String> = ["0109".to_string()].into();
        let errors = check(text, &groups(), &existing).expect_err("invalid");
        assert_eq!(
            errors,
            vec![
                RowError {
                    line: 3,
                    field: "number",
                    message_key: "import.error.repeated"
                },
                RowError {
                    line: 4,
                    field: "number",
                    message_key: "household.error.number_required"
                },
                RowError {
                    line: 4,
                    field: "members",
                    message_key: "household.error.members"
                },
                RowError {
                    line: 4,
                    field: "group",
                    message_key: "household.error.group"
                },
                RowError {
                    line: 5,
                    field: "number",
                    message_key: "import.error.exists"
                },
            ]
        );
    }

    #[test]
    fn a_missing_column_is_a_header_error() {
        let errors = check("户号,户主姓名,人口\n1,张三,4\n", &groups(), &HashSet::new())
            .expect_err("invalid");
        assert_eq!(
            errors,
            vec![RowError {
                line: 1,
                field: "group",
                message_key: "import.error.header"
            }]
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        let errors =
            check("户号,户主姓名,人口,小组\n", &groups(), &HashSet::new()).expect_err("empty");
        assert_eq!(errors[0].message_key, "import.error.empty");
        assert!(check("", &groups(), &HashSet::new()).is_err());
    }

    #[test]
    fn short_rows_do_not_panic() {
        let errors = check(
            "户号,户主姓名,人口,小组\n0101\n",
            &groups(),
            &HashSet::new(),
        )
        .expect_err("invalid");
        assert!(errors.iter().all(|e| e.line == 2));
    }
}
