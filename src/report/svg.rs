//! The charts of the auditor's report, as inline SVG strings built here rather than in a
//! template, so that the geometry is computed in integers and every text is XML-escaped in
//! one place.
//!
//! Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says in words what
//! the picture shows (the text alternative), and reads in black and white: every cell and bar
//! carries its status or count as text, fills are only a second cue. No script, no external
//! reference (links are same-page fragments), no floating-point number: the same input gives
//! the same bytes.

use std::fmt::Write as _;

/// A result as the charts show it: `pass`, `fail`, `waived` or `none`.
fn look(status: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    // (fill, stroke, ink, word); the stroke dash pattern is the black-and-white cue.
    match status {
        "pass" => ("#d9efe0", "#1e7a3c", "#14502a", "Pass"),
        "fail" => ("#f6cdc8", "#b3261e", "#7a1a14", "FAIL"),
        "waived" => ("#fbe6b8", "#8a5a00", "#5e3d00", "Waived"),
        _ => ("#eceff2", "#8a939c", "#3f4750", "Not assessed"),
    }
}

fn dash(status: &str) -> &'static str {
    match status {
        "fail" => r#" stroke-width="3""#,
        "waived" => r#" stroke-width="2" stroke-dasharray="6 3""#,
        "none" => r#" stroke-width="1" stroke-dasharray="2 3""#,
        _ => r#" stroke-width="1""#,
    }
}

/// `text` escaped for XML character data and attribute values.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text`, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn open(out: &mut String, key: &str, width: usize, height: usize, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-labelledby="{key}-title {key}-desc" font-family="system-ui, sans-serif" font-size="12"><title id="{key}-title">{}</title><desc id="{key}-desc">{}</desc>"#,
        xml(title),
        xml(desc)
    );
}

/// One cell of the heat-map: a subclause and its status.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Clause number, e.g. `8.5`.
    pub id: String,
    /// `pass`, `fail`, `waived` or `none`.
    pub status: String,
}

/// One row of the heat-map: a top-level clause and its subclauses.
#[derive(Debug, Clone)]
pub struct Group {
    /// Clause number, e.g. `8`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Its status (worst of the subclauses).
    pub status: String,
    /// The subclauses one level down.
    pub cells: Vec<Cell>,
}

const LEGEND: [&str; 4] = ["pass", "fail", "waived", "none"];
const LEGEND_WORDS: [&str; 4] = [
    "no finding",
    "a failed finding",
    "findings, all waived",
    "no control mapped",
];

/// Clause conformity heat-map: clause groups 4–10 as rows, their subclauses as cells; each
/// cell links to its row of the clause table.
pub fn heatmap(groups: &[Group]) -> String {
    const LABEL: usize = 290;
    const W: usize = 96;
    const H: usize = 40;
    const GAP: usize = 4;
    let columns = groups
        .iter()
        .map(|g| g.cells.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let width = LABEL + columns * (W + GAP);
    let height = groups.len() * (H + GAP) + 36;
    let mut desc = String::from("Status of each ISO/IEC 20000-1 subclause, by clause. ");
    for g in groups {
        let named = |s: &str| -> Vec<&str> {
            g.cells
                .iter()
                .filter(|c| c.status == s)
                .map(|c| c.id.as_str())
                .collect()
        };
        let _ = write!(desc, "Clause {} {}: {}", g.id, g.title, look(&g.status).3);
        for (s, word) in [
            ("fail", "failing"),
            ("waived", "waived"),
            ("none", "not assessed"),
        ] {
            let ids = named(s);
            if !ids.is_empty() {
                let _ = write!(desc, "; {word} {}", ids.join(", "));
            }
        }
        desc.push_str(". ");
    }
    let mut out = String::new();
    open(
        &mut out,
        "chart-heatmap",
        width,
        height,
        "Clause conformity heat-map",
        desc.trim_end(),
    );
    for (row, g) in groups.iter().enumerate() {
        let y = row * (H + GAP);
        let _ = write!(
            out,
            r##"<a href="#clause-{id}"><text x="0" y="{t1}" font-weight="700">Clause {id}</text><text x="0" y="{t2}" font-size="11">{title}</text></a>"##,
            id = xml(&g.id),
            t1 = y + 17,
            t2 = y + 32,
            title = xml(&clip(&g.title, 44)),
        );
        for (col, c) in g.cells.iter().enumerate() {
            let (fill, stroke, ink, word) = look(&c.status);
            let x = LABEL + col * (W + GAP);
            let _ = write!(
                out,
                r##"<a href="#clause-{id}"><rect x="{rx}" y="{ry}" width="{rw}" height="{rh}" rx="3" fill="{fill}" stroke="{stroke}"{dash}/><text x="{tx}" y="{t1}" text-anchor="middle" fill="{ink}" font-weight="700">{id}</text><text x="{tx}" y="{t2}" text-anchor="middle" fill="{ink}" font-size="11">{word}</text></a>"##,
                id = xml(&c.id),
                rx = x + 1,
                ry = y + 1,
                rw = W - 2,
                rh = H - 2,
                dash = dash(&c.status),
                tx = x + W / 2,
                t1 = y + 17,
                t2 = y + 32,
            );
        }
    }
    legend(&mut out, groups.len() * (H + GAP) + 8);
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, y: usize) {
    let mut x = 0;
    for (status, words) in LEGEND.iter().zip(LEGEND_WORDS) {
        let (fill, stroke, ink, word) = look(status);
        let _ = write!(
            out,
            r##"<rect x="{rx}" y="{y}" width="82" height="20" rx="3" fill="{fill}" stroke="{stroke}"{dash}/><text x="{tx}" y="{ty}" text-anchor="middle" fill="{ink}" font-size="11" font-weight="700">{word}</text><text x="{lx}" y="{ty}" fill="#3f4750" font-size="11">{words}</text>"##,
            rx = x + 1,
            dash = dash(status),
            tx = x + 42,
            ty = y + 14,
            lx = x + 88,
        );
        x += 88 + words.len() * 6 + 18;
    }
}

/// One bar: a label and its failed and waived counts.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What the bar counts, e.g. `high` or `8 Operation`.
    pub label: String,
    /// Fragment the label links to, without `#`; none for no link.
    pub href: Option<String>,
    /// Failed findings.
    pub failed: usize,
    /// Waived findings.
    pub waived: usize,
}

/// A horizontal bar chart of findings, failed (solid, dark) and waived (light, dashed
/// outline) stacked, each bar followed by its counts in words.
pub fn bars(key: &str, title: &str, bars: &[Bar]) -> String {
    const LABEL: usize = 320;
    const AREA: usize = 420;
    const H: usize = 24;
    const GAP: usize = 6;
    let max = bars
        .iter()
        .map(|b| b.failed + b.waived)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = LABEL + AREA + 160;
    let height = bars.len() * (H + GAP) + 30;
    let mut desc = format!("{title}: ");
    let parts: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {} failed, {} waived", b.label, b.failed, b.waived))
        .collect();
    desc.push_str(&parts.join("; "));
    desc.push('.');
    let mut out = String::new();
    open(&mut out, key, width, height, title, &desc);
    for (row, b) in bars.iter().enumerate() {
        let y = row * (H + GAP);
        let label = xml(&clip(&b.label, 44));
        match &b.href {
            Some(h) => {
                let _ = write!(
                    out,
                    r##"<a href="#{}"><text x="0" y="{}">{label}</text></a>"##,
                    xml(h),
                    y + 17
                );
            }
            None => {
                let _ = write!(out, r#"<text x="0" y="{}">{label}</text>"#, y + 17);
            }
        }
        let _ = write!(
            out,
            r##"<line x1="{LABEL}" y1="{y}" x2="{LABEL}" y2="{}" stroke="#8a939c"/>"##,
            y + H
        );
        let fw = b.failed * AREA / max;
        let ww = b.waived * AREA / max;
        if fw > 0 {
            let _ = write!(
                out,
                r##"<rect x="{LABEL}" y="{}" width="{fw}" height="{}" fill="#b3261e" stroke="#7a1a14"/>"##,
                y + 2,
                H - 4
            );
        }
        if ww > 0 {
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{ww}" height="{}" fill="#fbe6b8" stroke="#5e3d00" stroke-dasharray="4 2"/>"##,
                LABEL + fw,
                y + 2,
                H - 4
            );
        }
        let words = match (b.failed, b.waived) {
            (0, 0) => "0".to_string(),
            (f, 0) => format!("{f} failed"),
            (0, w) => format!("{w} waived"),
            (f, w) => format!("{f} failed, {w} waived"),
        };
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" fill="#1d232b">{words}</text>"##,
            LABEL + fw + ww + 8,
            y + 17
        );
    }
    let y = bars.len() * (H + GAP) + 6;
    let _ = write!(
        out,
        r##"<rect x="{LABEL}" y="{y}" width="40" height="16" fill="#b3261e" stroke="#7a1a14"/><text x="{}" y="{}" font-size="11">failed</text><rect x="{}" y="{y}" width="40" height="16" fill="#fbe6b8" stroke="#5e3d00" stroke-dasharray="4 2"/><text x="{}" y="{}" font-size="11">waived</text>"##,
        LABEL + 46,
        y + 12,
        LABEL + 110,
        LABEL + 156,
        y + 12
    );
    out.push_str("</svg>");
    out
}

/// One tile of the practice grid.
#[derive(Debug, Clone)]
pub struct Tile {
    /// Practice name.
    pub name: String,
    /// `pass`, `fail`, `waived` or `none`.
    pub status: String,
}

/// The ITIL 4 practices as a grid of tiles, three to a row, each with its status in words.
pub fn practice_grid(tiles: &[Tile]) -> String {
    const COLS: usize = 3;
    const W: usize = 330;
    const H: usize = 30;
    const GAP: usize = 6;
    let rows = tiles.len().div_ceil(COLS);
    let width = COLS * (W + GAP);
    let height = rows * (H + GAP) + 30;
    let mut desc = String::from("Status of each ITIL 4 practice: ");
    let parts: Vec<String> = tiles
        .iter()
        .map(|t| format!("{} {}", t.name, look(&t.status).3))
        .collect();
    desc.push_str(&parts.join("; "));
    desc.push('.');
    let mut out = String::new();
    open(
        &mut out,
        "chart-practices",
        width,
        height,
        "ITIL 4 practice grid",
        &desc,
    );
    for (i, t) in tiles.iter().enumerate() {
        let (fill, stroke, ink, word) = look(&t.status);
        let x = (i % COLS) * (W + GAP);
        let y = (i / COLS) * (H + GAP);
        let _ = write!(
            out,
            r#"<rect x="{rx}" y="{ry}" width="{rw}" height="{rh}" rx="3" fill="{fill}" stroke="{stroke}"{dash}/><text x="{tx}" y="{ty}" fill="{ink}">{name}</text><text x="{wx}" y="{ty}" text-anchor="end" fill="{ink}" font-size="11" font-weight="700">{word}</text>"#,
            rx = x + 1,
            ry = y + 1,
            rw = W - 2,
            rh = H - 2,
            dash = dash(&t.status),
            tx = x + 10,
            ty = y + 20,
            name = xml(&clip(&t.name, 38)),
            wx = x + W - 10,
        );
    }
    legend(&mut out, rows * (H + GAP) + 4);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_clipped() {
        assert_eq!(xml("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos; ");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }

    #[test]
    fn charts_are_deterministic_and_escape_labels() {
        let groups = vec![Group {
            id: "8".into(),
            title: "<Operation>".into(),
            status: "fail".into(),
            cells: vec![
                Cell {
                    id: "8.1".into(),
                    status: "pass".into(),
                },
                Cell {
                    id: "8.2".into(),
                    status: "fail".into(),
                },
            ],
        }];
        let a = heatmap(&groups);
        assert_eq!(a, heatmap(&groups));
        assert!(a.contains("&lt;Operation&gt;") && !a.contains("<Operation>"));
        assert!(a.contains("failing 8.2"));
        let b = bars(
            "chart-x",
            "X",
            &[Bar {
                label: "high".into(),
                href: None,
                failed: 2,
                waived: 1,
            }],
        );
        assert!(b.contains("2 failed, 1 waived"));
    }
}

/// One line of a line chart: a label and a value per x position (`None`: no data there).
#[derive(Debug, Clone)]
pub struct Series {
    /// What the line shows, e.g. `P1`.
    pub label: String,
    /// Values in basis points (0–10,000), one per x label.
    pub points: Vec<Option<i64>>,
}

/// Dash patterns and marker shapes, so that lines read apart in black and white.
const DASHES: [&str; 5] = ["", "8 4", "2 3", "10 3 2 3", "4 4"];

fn marker(out: &mut String, shape: usize, x: i64, y: i64) {
    let _ = match shape % 5 {
        0 => write!(out, r##"<circle cx="{x}" cy="{y}" r="4" fill="#1f2933"/>"##),
        1 => write!(
            out,
            r##"<rect x="{}" y="{}" width="8" height="8" fill="#fff" stroke="#1f2933" stroke-width="2"/>"##,
            x - 4,
            y - 4
        ),
        2 => write!(
            out,
            r##"<path d="M{x} {} L{} {} L{} {} Z" fill="#1f2933"/>"##,
            y - 5,
            x + 5,
            y + 4,
            x - 5,
            y + 4
        ),
        3 => write!(
            out,
            r##"<path d="M{x} {} L{} {y} L{x} {} L{} {y} Z" fill="#fff" stroke="#1f2933" stroke-width="2"/>"##,
            y - 5,
            x + 5,
            y + 5,
            x - 5
        ),
        _ => write!(
            out,
            r##"<path d="M{} {} L{} {} M{} {} L{} {}" stroke="#1f2933" stroke-width="2"/>"##,
            x - 4,
            y - 4,
            x + 4,
            y + 4,
            x - 4,
            y + 4,
            x + 4,
            y - 4
        ),
    };
}

/// A line chart of shares per month (0–100 %), with an optional required level drawn as a
/// labelled horizontal rule. The description lists every value in words.
pub fn lines(
    key: &str,
    title: &str,
    xs: &[String],
    series: &[Series],
    required: Option<i64>,
) -> String {
    const LEFT: i64 = 56;
    const TOP: i64 = 16;
    const PLOT_H: i64 = 220;
    const STEP: i64 = 56;
    let plot_w = (xs.len().max(2) as i64 - 1) * STEP;
    let legend_w = 140;
    let width = LEFT + plot_w + 40 + legend_w;
    let height = TOP + PLOT_H + 60;
    let y_of = |bp: i64| TOP + PLOT_H - bp.clamp(0, 10_000) * PLOT_H / 10_000;
    let x_of = |i: usize| LEFT + i as i64 * STEP;
    let mut desc = format!("{title}. ");
    if let Some(r) = required {
        let _ = write!(desc, "Required: {}. ", crate::report::sla::percent(r));
    }
    for s in series {
        let parts: Vec<String> = xs
            .iter()
            .zip(&s.points)
            .filter_map(|(x, p)| p.map(|p| format!("{x} {}", crate::report::sla::percent(p))))
            .collect();
        let _ = write!(desc, "{}: {}. ", s.label, parts.join(", "));
    }
    let mut out = String::new();
    open(
        &mut out,
        key,
        width as usize,
        height as usize,
        title,
        desc.trim_end(),
    );
    // Axes and grid every 25 %.
    for q in 0..=4 {
        let y = y_of(q * 2500);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#d5dbe1" stroke-width="1"/><text x="{}" y="{}" text-anchor="end" fill="#3f4750">{} %</text>"##,
            LEFT + plot_w,
            LEFT - 6,
            y + 4,
            q * 25
        );
    }
    for (i, x) in xs.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#3f4750" font-size="10">{}</text>"##,
            x_of(i),
            TOP + PLOT_H + 16,
            xml(x)
        );
    }
    if let Some(r) = required {
        let y = y_of(r);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#b3261e" stroke-width="2" stroke-dasharray="12 4"/><text x="{}" y="{}" fill="#7a1a14" font-size="11">required {}</text>"##,
            LEFT + plot_w,
            LEFT + 4,
            y + 14,
            xml(&crate::report::sla::percent(r))
        );
    }
    for (k, s) in series.iter().enumerate() {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, p) in s.points.iter().enumerate() {
            match p {
                Some(bp) => {
                    let _ = write!(
                        d,
                        "{}{} {} ",
                        if pen_down { "L" } else { "M" },
                        x_of(i),
                        y_of(*bp)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let dash = DASHES[k % DASHES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = write!(
            out,
            r##"<path d="{}" fill="none" stroke="#1f2933" stroke-width="2"{dash}/>"##,
            d.trim_end()
        );
        for (i, p) in s.points.iter().enumerate() {
            if let Some(bp) = p {
                marker(&mut out, k, x_of(i), y_of(*bp));
            }
        }
        // Legend: the marker, the dash and the label.
        let ly = TOP + 14 + k as i64 * 20;
        let lx = LEFT + plot_w + 40;
        let _ = write!(
            out,
            r##"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="#1f2933" stroke-width="2"{dash}/>"##,
            lx + 28
        );
        marker(&mut out, k, lx + 14, ly);
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" fill="#1f2933">{}</text>"##,
            lx + 34,
            ly + 4,
            xml(&clip(&s.label, 16))
        );
    }
    out.push_str("</svg>");
    out
}

/// A column chart of counts per month, each column labelled with its count.
pub fn columns(key: &str, title: &str, xs: &[String], values: &[u64]) -> String {
    const LEFT: i64 = 56;
    const TOP: i64 = 20;
    const PLOT_H: i64 = 180;
    const STEP: i64 = 56;
    const W: i64 = 36;
    let max = values.iter().copied().max().unwrap_or(0).max(1) as i64;
    let width = LEFT + xs.len() as i64 * STEP + 20;
    let height = TOP + PLOT_H + 40;
    let parts: Vec<String> = xs
        .iter()
        .zip(values)
        .map(|(x, v)| format!("{x} {v}"))
        .collect();
    let desc = format!("{title}: {}.", parts.join(", "));
    let mut out = String::new();
    open(&mut out, key, width as usize, height as usize, title, &desc);
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{}" x2="{}" y2="{}" stroke="#8a939c" stroke-width="1"/>"##,
        TOP + PLOT_H,
        width - 10,
        TOP + PLOT_H
    );
    for (i, (x, &v)) in xs.iter().zip(values).enumerate() {
        let h = v as i64 * PLOT_H / max;
        let cx = LEFT + i as i64 * STEP;
        let _ = write!(
            out,
            r##"<rect x="{cx}" y="{}" width="{W}" height="{h}" fill="#c9d3dd" stroke="#1f2933" stroke-width="1"/><text x="{}" y="{}" text-anchor="middle" fill="#1f2933">{v}</text><text x="{}" y="{}" text-anchor="middle" fill="#3f4750" font-size="10">{}</text>"##,
            TOP + PLOT_H - h,
            cx + W / 2,
            TOP + PLOT_H - h - 4,
            cx + W / 2,
            TOP + PLOT_H + 14,
            xml(x)
        );
    }
    out.push_str("</svg>");
    out
}
