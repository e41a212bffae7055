//! Charts as SVG drawn on the server by `plotters`: no script, nothing fetched, and only
//! presentation attributes (no inline style), so the console's CSP stays strict. Each chart is
//! a labelled image (`role="img"` with a title); the page puts the same figures in a table
//! beside it, so nothing is told by colour or shape alone. Colours are Okabe–Ito, told apart
//! with the common colour-vision deficiencies.

use maud::{Markup, PreEscaped, html};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

const COLOURS: [RGBColor; 5] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

/// One series of a bar chart: its name and a value per category.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<f64>,
}

/// Horizontal bars, one per category, the series stacked end to end; `id` names the chart's
/// title for assistive technology.
pub fn bars(id: &str, title: &str, categories: &[String], series: &[Series<'_>]) -> Markup {
    chart(id, title, categories, series, None)
}

/// Like [`bars`], on an axis from 0 to 100 (percentages).
pub fn percentages(id: &str, title: &str, categories: &[String], series: &[Series<'_>]) -> Markup {
    chart(id, title, categories, series, Some(100.0))
}

fn chart(
    id: &str,
    title: &str,
    categories: &[String],
    series: &[Series<'_>],
    axis_max: Option<f64>,
) -> Markup {
    let mut svg = String::new();
    if draw(&mut svg, categories, series, axis_max).is_err() {
        // Drawing into a string cannot fail on I/O; anything else leaves the table alone.
        return html! {};
    }
    let labelled = svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-labelledby=\"{id}\" focusable=\"false\" "),
        1,
    );
    let labelled = match labelled.find('>') {
        Some(end) => format!(
            "{}<title id=\"{id}\">{}</title>{}",
            &labelled[..=end],
            maud::html! { (title) }.into_string(),
            &labelled[end + 1..]
        ),
        None => labelled,
    };
    html! { figure.chart { (PreEscaped(labelled)) } }
}

fn draw<'a>(
    svg: &'a mut String,
    categories: &'a [String],
    series: &[Series<'_>],
    axis_max: Option<f64>,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let n = categories.len().max(1);
    let legend = if series.len() > 1 {
        28 * series.len() as u32
    } else {
        0
    };
    let height = 50 + 36 * n as u32 + legend;
    // Long names are cut in the chart; the table beside it has them whole.
    let short: Vec<String> = categories.iter().map(|c| shorten(c, LABEL_CHARS)).collect();
    let longest = short.iter().map(|c| c.chars().count()).max().unwrap_or(4);
    let label_width = (longest as u32 * 8 + 16).clamp(60, 300);
    let mut totals = vec![0.0f64; n];
    for s in series {
        for (t, v) in totals.iter_mut().zip(&s.values) {
            *t += v.max(0.0);
        }
    }
    let max =
        axis_max.unwrap_or_else(|| totals.iter().copied().fold(0.0, f64::max).max(1.0).ceil());
    {
        let root = SVGBackend::with_string(svg, (720, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (plot, key) = root.split_vertically(height - legend);
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(label_width)
            // `a..b` holds b - a + 1 values, one segment each.
            .build_cartesian_2d(0f64..max, (0..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_style(("sans-serif", 15).into_font().color(&BLACK))
            .x_label_style(("sans-serif", 14).into_font().color(&BLACK))
            // The first category on top: segment `j` holds category `n - 1 - j`.
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(j) if *j < n => short[n - 1 - j].clone(),
                _ => String::new(),
            })
            .x_labels(if axis_max.is_some() {
                6
            } else {
                (max as usize).clamp(2, 6)
            })
            // Counts: a tick between two whole numbers has no label.
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < 1e-9 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(200, 200, 200))
            .axis_style(RGBColor(90, 90, 90))
            .draw()?;
        let mut start = vec![0.0f64; n];
        for (k, s) in series.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            chart.draw_series(s.values.iter().enumerate().take(n).map(|(i, v)| {
                let from = start[i];
                let to = from + v.max(0.0);
                start[i] = to;
                let mut bar = Rectangle::new(
                    [
                        (from, SegmentValue::Exact(n - 1 - i)),
                        (to, SegmentValue::Exact(n - i)),
                    ],
                    colour.filled(),
                );
                bar.set_margin(6, 6, 0, 0);
                bar
            }))?;
        }
        for (k, s) in series.iter().enumerate().filter(|_| legend > 0) {
            let colour = COLOURS[k % COLOURS.len()];
            let y = 6 + 28 * k as i32;
            key.draw(&Rectangle::new(
                [
                    (label_width as i32 + 12, y),
                    (label_width as i32 + 30, y + 18),
                ],
                colour.filled(),
            ))?;
            key.draw(&Text::new(
                s.name.to_owned(),
                (label_width as i32 + 38, y + 2),
                ("sans-serif", 15).into_font().color(&BLACK),
            ))?;
        }
        root.present()?;
    }
    Ok(())
}

/// Longest category name drawn in a chart.
const LABEL_CHARS: usize = 32;

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_a_titled_image_of_its_bars_without_inline_style() {
        let svg = bars(
            "c1",
            "Goals <by> area",
            &["Health".to_owned(), "Work".to_owned()],
            &[
                Series {
                    name: "Active",
                    values: vec![3.0, 1.0],
                },
                Series {
                    name: "Achieved",
                    values: vec![2.0, 0.0],
                },
            ],
        )
        .into_string();
        assert!(svg.contains("role=\"img\" aria-labelledby=\"c1\""), "{svg}");
        assert!(
            svg.contains("<title id=\"c1\">Goals &lt;by&gt; area</title>"),
            "{svg}"
        );
        let flat = svg.replace('\n', "");
        assert!(
            flat.contains(">Health<") && flat.contains(">Achieved<"),
            "{svg}"
        );
        assert!(
            !svg.contains("style="),
            "inline style breaks the CSP: {svg}"
        );
        // Three bars with a value (zero-width ones may be drawn too), each in its colour.
        assert!(svg.matches("<rect").count() >= 3, "{svg}");
    }

    /// The y of the first `<tag` whose text or attributes contain `needle`.
    fn y_of(svg: &str, tag: &str, needle: &str) -> f64 {
        let svg = svg.replace('\n', "");
        let piece = svg
            .split('<')
            .find(|p| p.starts_with(tag) && p.contains(needle))
            .unwrap_or_else(|| panic!("no {tag} with {needle} in {svg}"));
        let y = piece.split("y=\"").nth(1).and_then(|r| r.split('"').next());
        y.and_then(|y| y.parse().ok()).expect("a y attribute")
    }

    #[test]
    fn the_first_category_is_on_top_with_its_own_bar() {
        let svg = bars(
            "c2",
            "t",
            &["AAA".to_owned(), "BBB".to_owned(), "CCC".to_owned()],
            &[Series {
                name: "n",
                values: vec![1.0, 2.0, 3.0],
            }],
        )
        .into_string();
        let (a, c) = (y_of(&svg, "text", ">AAA"), y_of(&svg, "text", ">CCC"));
        assert!(a < c, "AAA is drawn below CCC: {svg}");
        // Each label is beside its bar: the bar of 1 (the narrowest) is level with AAA.
        let widths: Vec<(f64, f64)> = svg
            .split("<rect")
            .skip(1)
            .filter(|r| r.contains("#0072B2"))
            .filter_map(|r| {
                let attr = |name: &str| {
                    r.split(&format!("{name}=\""))
                        .nth(1)?
                        .split('"')
                        .next()?
                        .parse::<f64>()
                        .ok()
                };
                Some((attr("width")?, attr("y")? + attr("height")? / 2.0))
            })
            .collect();
        let narrowest = widths
            .iter()
            .min_by(|x, y| x.0.total_cmp(&y.0))
            .expect("bars");
        assert!(
            (narrowest.1 - a).abs() < 8.0,
            "bar at {} but AAA at {a}: {svg}",
            narrowest.1
        );
    }
}
