//! Chart primitives for the report: an `<svg>` with an accessible title and
//! description, a linear scale, axes with "nice" ticks, bars carrying a
//! `<title>` tooltip, and a legend. Colours and fonts come from the page's
//! CSS classes (`STYLE` in the parent module), so the markup stays small;
//! coordinates are written with at most one decimal.

use super::esc;
use std::fmt::Write;

/// The drawing area of a chart: the whole size and the margins around the plot.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// Left edge of the plot.
    pub fn x0(&self) -> f64 {
        self.left
    }
    /// Right edge of the plot.
    pub fn x1(&self) -> f64 {
        self.width - self.right
    }
    /// Top edge of the plot.
    pub fn y0(&self) -> f64 {
        self.top
    }
    /// Bottom edge of the plot (the baseline of bars).
    pub fn y1(&self) -> f64 {
        self.height - self.bottom
    }
}

/// A linear map from data `[d0, d1]` to pixels `[r0, r1]`.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn at(&self, d: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return self.r0;
        }
        self.r0 + (d - self.d0) / span * (self.r1 - self.r0)
    }
}

/// A number for SVG attributes: at most one decimal, no trailing `.0`.
pub fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A "nice" tick step (1, 2 or 5 × 10^k) that cuts `[0, max]` into about `ticks` parts.
pub fn nice_step(max: f64, ticks: usize) -> f64 {
    let raw = (max / ticks.max(1) as f64).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Opens an `<svg>` labelled by its own `<title>` and `<desc>`.
pub fn open(out: &mut String, id: &str, f: &Frame, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc),
        w = n(f.width),
        h = n(f.height),
    );
    let _ = write!(
        out,
        "<text class=\"ct\" x=\"{}\" y=\"16\">{}</text>",
        n(f.x0()),
        esc(title)
    );
}

/// Closes the `<svg>`.
pub fn close(out: &mut String) {
    out.push_str("</svg>");
}

/// A text label; `anchor` is `start`, `middle` or `end`.
pub fn text(out: &mut String, x: f64, y: f64, anchor: &str, label: &str) {
    let a = if anchor == "start" {
        String::new()
    } else {
        format!(" text-anchor=\"{anchor}\"")
    };
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\"{a}>{}</text>",
        n(x),
        n(y),
        esc(label)
    );
}

/// A straight line with a CSS class (`axis`, `grid`, `day`).
pub fn line(out: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
    let _ = write!(
        out,
        "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" />",
        n(x1),
        n(y1),
        n(x2),
        n(y2)
    );
}

/// A rectangle with a CSS class, extra attributes (`data-…`, may be empty)
/// and a `<title>` tooltip.
pub fn rect(
    out: &mut String,
    class: &str,
    (x, y, w, h): (f64, f64, f64, f64),
    extra: &str,
    tip: &str,
) {
    let _ = write!(
        out,
        "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{extra}><title>{}</title></rect>",
        n(x),
        n(y),
        n(w.max(0.0)),
        n(h.max(0.0)),
        esc(tip)
    );
}

/// The y axis from 0 to a nice maximum at or above `max`: grid lines, tick
/// labels and the axis title. Returns the scale.
pub fn y_axis(out: &mut String, f: &Frame, max: f64, label: &str) -> Scale {
    let step = nice_step(max.max(1.0), 5).max(1.0);
    let top = (max.max(1.0) / step).ceil() * step;
    let y = Scale {
        d0: 0.0,
        d1: top,
        r0: f.y1(),
        r1: f.y0(),
    };
    let mut t = 0.0;
    while t <= top + 1e-9 {
        let py = y.at(t);
        line(out, "grid", (f.x0(), py), (f.x1(), py));
        text(out, f.x0() - 4.0, py + 4.0, "end", &n(t));
        t += step;
    }
    line(out, "axis", (f.x0(), f.y0()), (f.x0(), f.y1()));
    let mid = (f.y0() + f.y1()) / 2.0;
    let _ = write!(
        out,
        "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate({} {}) rotate(-90)\">{}</text>",
        n(12.0),
        n(mid),
        esc(label)
    );
    y
}

/// The x axis line at the baseline and its title under the plot.
pub fn x_axis(out: &mut String, f: &Frame, label: &str) {
    line(out, "axis", (f.x0(), f.y1()), (f.x1(), f.y1()));
    text(
        out,
        (f.x0() + f.x1()) / 2.0,
        f.height - 4.0,
        "middle",
        label,
    );
}

/// A horizontal legend at `(x, y)`: a swatch of each CSS class and its label.
pub fn legend(out: &mut String, x: f64, y: f64, items: &[(&str, &str)]) {
    let mut px = x;
    for (class, label) in items {
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" />",
            n(px),
            n(y - 10.0)
        );
        text(out, px + 16.0, y, "start", label);
        px += 28.0 + 6.5 * label.chars().count() as f64;
    }
}

/// One bar of a [`bar_chart`].
pub struct Bar {
    /// Axis label under the bar (may be empty to skip it).
    pub label: String,
    pub value: f64,
    /// CSS class for the colour.
    pub class: &'static str,
    pub tip: String,
}

/// A vertical bar chart (histogram bins in order).
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub x_label: String,
    pub y_label: String,
    pub bars: Vec<Bar>,
}

/// Draws `c` in `f`: one `<rect class="bar …" data-count="…">` per bar with
/// its tooltip; labels under the bars thinned to keep about 25.
pub fn bar_chart(out: &mut String, f: &Frame, c: &BarChart) {
    open(out, c.id, f, &c.title, &c.desc);
    let max = c.bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let y = y_axis(out, f, max, &c.y_label);
    let slot = (f.x1() - f.x0()) / c.bars.len().max(1) as f64;
    let every = c.bars.len().div_ceil(25).max(1);
    for (i, b) in c.bars.iter().enumerate() {
        let x = f.x0() + slot * i as f64;
        let top = y.at(b.value);
        let gap = if slot > 4.0 { 1.0 } else { 0.0 };
        let extra = format!(" data-count=\"{}\"", b.value);
        let class = format!("bar {}", b.class);
        rect(
            out,
            &class,
            (x + gap, top, slot - 2.0 * gap, f.y1() - top),
            &extra,
            &b.tip,
        );
        if i % every == 0 && !b.label.is_empty() {
            text(out, x + slot / 2.0, f.y1() + 14.0, "middle", &b.label);
        }
    }
    x_axis(out, f, &c.x_label);
    close(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_one_two_five() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(7.0, 5), 2.0);
        assert_eq!(nice_step(1000.0, 4), 500.0);
        assert_eq!(nice_step(3.0, 5), 1.0);
    }

    #[test]
    fn numbers_have_at_most_one_decimal() {
        assert_eq!(n(3.0), "3");
        assert_eq!(n(3.04), "3");
        assert_eq!(n(3.06), "3.1");
        assert_eq!(n(-0.26), "-0.3");
    }
}
