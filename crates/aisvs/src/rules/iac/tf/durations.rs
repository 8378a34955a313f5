//! Rotation schedules as day counts: `rate()`/`cron()` (AWS), `NNNs` (GCP), ISO 8601 durations (Azure), Go durations.

/// `rate(N days|hours|minutes)` → days (fractional).
pub fn aws_rate_days(expr: &str) -> Option<f64> {
    let inner = expr.trim().strip_prefix("rate(")?.strip_suffix(')')?;
    let mut parts = inner.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?.trim_end_matches('s');
    match unit {
        "day" => Some(n),
        "hour" => Some(n / 24.0),
        "minute" => Some(n / 1440.0),
        _ => None,
    }
}

/// Longest gap between runs of an AWS `cron(min hour dom month dow year)`, in whole months (0 = at least monthly).
/// `None` when the expression is not understood or restricts years.
pub fn aws_cron_max_month_gap(expr: &str) -> Option<u32> {
    let inner = expr.trim().strip_prefix("cron(")?.strip_suffix(')')?;
    let fields: Vec<&str> = inner.split_whitespace().collect();
    let [_, _, _, month, _, year] = fields.as_slice() else {
        return None;
    };
    if *year != "*" && *year != "?" {
        return None;
    }
    let months = month_set(month)?;
    if months.is_empty() {
        return None;
    }
    let mut gap = 0;
    for (i, m) in months.iter().enumerate() {
        let next = months.get(i + 1).copied().unwrap_or(months[0] + 12);
        gap = gap.max(next - m);
    }
    Some(gap.saturating_sub(1))
}

fn month_set(field: &str) -> Option<Vec<u32>> {
    const NAMES: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let num = |s: &str| -> Option<u32> {
        s.parse().ok().or_else(|| {
            NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(s))
                .map(|p| p as u32 + 1)
        })
    };
    let mut out = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (lo, hi) = match range {
            "*" | "?" => (1, 12),
            r => match r.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None if step > 1 => (num(r)?, 12),
                None => (num(r)?, num(r)?),
            },
        };
        if lo == 0 || hi > 12 || lo > hi {
            return None;
        }
        out.extend((lo..=hi).step_by(step as usize));
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// GCP `"7776000s"` → days.
pub fn seconds_suffix_days(s: &str) -> Option<f64> {
    let n: f64 = s.trim().strip_suffix('s')?.parse().ok()?;
    Some(n / 86400.0)
}

/// ISO 8601 `P90D`, `P3M`, `P1Y`, `P2W`, `PT720H` → days (months as 30, years as 365).
pub fn iso8601_days(s: &str) -> Option<f64> {
    let rest = s.trim().strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut days = 0.0;
    for (text, units) in [
        (date, [('Y', 365.0), ('M', 30.0), ('W', 7.0), ('D', 1.0)]),
        (
            time,
            [
                ('H', 1.0 / 24.0),
                ('M', 1.0 / 1440.0),
                ('S', 1.0 / 86400.0),
                ('\0', 0.0),
            ],
        ),
    ] {
        let mut num = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let factor = units.iter().find(|u| u.0 == c)?.1;
                days += num.parse::<f64>().ok()? * factor;
                num.clear();
            }
        }
        if !num.is_empty() {
            return None;
        }
    }
    Some(days)
}

/// Go / Kubernetes durations `1h`, `90m`, `2160h0m0s`, `0` → days.
pub fn go_duration_days(s: &str) -> Option<f64> {
    let s = s.trim();
    if s == "0" {
        return Some(0.0);
    }
    let mut days = 0.0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            1.0 / 86_400_000.0
        } else {
            match c {
                'h' => 1.0 / 24.0,
                'm' => 1.0 / 1440.0,
                's' => 1.0 / 86400.0,
                _ => return None,
            }
        };
        days += num.parse::<f64>().ok()? * unit;
        num.clear();
    }
    num.is_empty().then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        assert_eq!(aws_rate_days("rate(30 days)"), Some(30.0));
        assert_eq!(aws_rate_days("rate(12 hours)"), Some(0.5));
        assert_eq!(aws_cron_max_month_gap("cron(0 8 1 * ? *)"), Some(0));
        assert_eq!(aws_cron_max_month_gap("cron(0 8 1 1,7 ? *)"), Some(5));
        assert_eq!(aws_cron_max_month_gap("cron(0 8 1 */2 ? *)"), Some(1));
        assert_eq!(aws_cron_max_month_gap("cron(0 8 1 JAN ? 2027)"), None);
        assert_eq!(seconds_suffix_days("7776000s"), Some(90.0));
        assert_eq!(iso8601_days("P90D"), Some(90.0));
        assert_eq!(iso8601_days("P1Y"), Some(365.0));
        assert_eq!(iso8601_days("nonsense"), None);
        assert_eq!(go_duration_days("2160h"), Some(90.0));
        assert_eq!(go_duration_days("0"), Some(0.0));
        assert_eq!(go_duration_days("1h30m"), Some(1.5 / 24.0));
    }
}
