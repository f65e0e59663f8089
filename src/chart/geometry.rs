//! Where things landed on the drawing: the data ↔ pixel mapping of each panel and every point's pixel.
//!
//! Filled in by [`super::draw`] from the chart's own coordinate transform, so hover and keyboard
//! stepping agree with what was drawn to the pixel.

/// Linear mapping between a panel's data range and its plotting area, as plotters' `Cartesian2d` does it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    /// Pixel x of the data minimum and maximum (left, right).
    pub px_x: (i32, i32),
    /// Pixel y of the data minimum and maximum (bottom, top).
    pub px_y: (i32, i32),
    pub x: (f64, f64),
    pub y: (f64, f64),
}

fn map(v: f64, (lo, hi): (f64, f64), (p0, p1): (i32, i32)) -> i32 {
    if hi == lo {
        return (p1 - p0) / 2;
    }
    let t = (v - lo) / (hi - lo);
    let len = p1 - p0;
    // Same rounding as plotters' numeric ranges (floor with a small epsilon), so both agree to the pixel.
    if len > 0 {
        p0 + (len as f64 * t + 1e-3).floor() as i32
    } else {
        p0 - (-len as f64 * t + 1e-3).floor() as i32
    }
}

fn unmap(p: f64, (lo, hi): (f64, f64), (p0, p1): (i32, i32)) -> f64 {
    if p1 == p0 {
        return lo;
    }
    lo + (p - p0 as f64) / (p1 - p0) as f64 * (hi - lo)
}

impl Projection {
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        (map(x, self.x, self.px_x), map(y, self.y, self.px_y))
    }

    pub fn to_data(&self, px: f64, py: f64) -> (f64, f64) {
        (unmap(px, self.x, self.px_x), unmap(py, self.y, self.px_y))
    }

    /// The whole years a horizontal drag from pixel `a` to `b` covers on a time axis (x in fractional
    /// years), for zooming; `None` for a drag too short to mean a range (under 8 px).
    pub fn zoom_years(&self, a: f64, b: f64) -> Option<(i32, i32)> {
        if (a - b).abs() < 8.0 {
            return None;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let (from, to) = (self.to_data(lo, 0.0).0, self.to_data(hi, 0.0).0);
        let clamp = |x: f64| x.clamp(self.x.0, self.x.1);
        let (from, to) = (
            clamp(from).floor() as i32,
            (clamp(to) - 1e-9).floor() as i32,
        );
        Some((from, to.max(from)))
    }

    /// True when the pixel lies inside the plotting area.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        let (x0, x1) = (
            self.px_x.0.min(self.px_x.1) as f64,
            self.px_x.0.max(self.px_x.1) as f64,
        );
        let (y0, y1) = (
            self.px_y.0.min(self.px_y.1) as f64,
            self.px_y.0.max(self.px_y.1) as f64,
        );
        (x0..=x1).contains(&px) && (y0..=y1).contains(&py)
    }
}

/// Where a period sits on a time axis, in fractional years: its midpoint, so an annual value stands at
/// its year's tick (ticks sit at year midpoints too, see [`year_ticks`]) and a half-year inside its year.
pub fn period_x(period: &crate::domain::Period) -> f64 {
    period.midpoint()
}

/// True for a value that covers less (or other) than a calendar year — 2024-H1, a quarter, a month, a
/// range of months. Such values are drawn hollow with their extent dashed and never joined to annual
/// ones, so a half year never reads as a fall.
pub fn is_part_year(period: &crate::domain::Period) -> bool {
    !matches!(period, crate::domain::Period::Year(_))
}

/// The year ticks of a time axis spanning `x0..x1` (fractional years): one tick per whole year at the
/// year's midpoint — exactly where [`period_x`] puts that year's annual value — with every `step`-th
/// year labelled, `step` the smallest of 1, 2, 5, 10… that gives each label `label_px` of the
/// `px_per_year` the axis has. Returns (year, x, labelled).
pub fn year_ticks(x0: f64, x1: f64, px_per_year: f64, label_px: f64) -> Vec<(i32, f64, bool)> {
    let step = [1, 2, 5, 10, 20, 25, 50, 100]
        .into_iter()
        .find(|&n| n as f64 * px_per_year >= label_px)
        .unwrap_or(100);
    let (first, last) = (x0.floor() as i32, (x1 - 1e-9).floor() as i32);
    let mut ticks: Vec<(i32, f64, bool)> = (first..=last)
        .map(|y| (y, y as f64 + 0.5, y.rem_euclid(step) == 0))
        .filter(|&(_, x, _)| x >= x0 && x <= x1)
        .collect();
    // A short axis whose years all miss the step still names one year.
    if !ticks.iter().any(|t| t.2) {
        if let Some(t) = ticks.first_mut() {
            t.2 = true;
        }
    }
    ticks
}

/// A drawn point (or bar end) and which series/point it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub panel: usize,
    pub series: usize,
    pub point: usize,
    pub px: i32,
    pub py: i32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Geometry {
    /// Drawing size in backend pixels (logical size × scale).
    pub size: (u32, u32),
    pub panels: Vec<Projection>,
    /// Visible points in drawing order: series by series, each in period order.
    pub hits: Vec<Hit>,
}

impl Geometry {
    /// The visible point nearest to a pixel, within `radius` pixels; ties go to the earlier-drawn point.
    pub fn nearest(&self, px: f64, py: f64, radius: f64) -> Option<Hit> {
        self.hits
            .iter()
            .map(|h| (h, (h.px as f64 - px).powi(2) + (h.py as f64 - py).powi(2)))
            .filter(|(_, d2)| *d2 <= radius * radius)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(h, _)| *h)
    }

    /// Index into `hits` of the point after (or before) `current` in reading order, for arrow keys.
    pub fn step(&self, current: Option<usize>, forward: bool) -> Option<usize> {
        let n = self.hits.len();
        if n == 0 {
            return None;
        }
        Some(match (current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1).min(n - 1),
            (Some(i), false) => i.saturating_sub(1),
        })
    }

    pub fn hit_index(&self, hit: &Hit) -> Option<usize> {
        self.hits.iter().position(|h| h == hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proj() -> Projection {
        Projection {
            px_x: (60, 780),
            px_y: (370, 20),
            x: (2014.0, 2025.0),
            y: (0.0, 3.0),
        }
    }

    #[test]
    fn data_to_pixel_and_back() {
        let p = proj();
        assert_eq!(p.to_pixel(2014.0, 0.0), (60, 370));
        assert_eq!(p.to_pixel(2025.0, 3.0), (780, 20));
        let (px, py) = p.to_pixel(2024.5, 2.63);
        let (x, y) = p.to_data(px as f64, py as f64);
        // One pixel of rounding is the most a round trip may lose.
        assert!((x - 2024.5).abs() <= 11.0 / 720.0, "{x}");
        assert!((y - 2.63).abs() <= 3.0 / 350.0, "{y}");
        assert!(p.contains(400.0, 200.0));
        assert!(!p.contains(10.0, 200.0));
    }

    #[test]
    fn nearest_point_within_radius() {
        let g = Geometry {
            size: (800, 400),
            panels: vec![proj()],
            hits: vec![
                Hit {
                    panel: 0,
                    series: 0,
                    point: 0,
                    px: 100,
                    py: 300,
                },
                Hit {
                    panel: 0,
                    series: 1,
                    point: 0,
                    px: 110,
                    py: 200,
                },
            ],
        };
        assert_eq!(g.nearest(104.0, 290.0, 30.0).unwrap().series, 0);
        assert_eq!(g.nearest(108.0, 215.0, 30.0).unwrap().series, 1);
        assert!(g.nearest(400.0, 100.0, 30.0).is_none());
        assert_eq!(g.step(None, true), Some(0));
        assert_eq!(g.step(Some(1), true), Some(1));
        assert_eq!(g.step(Some(1), false), Some(0));
    }
    #[test]
    fn year_ticks_sit_at_midpoints_where_annual_values_are_drawn() {
        let ticks = year_ticks(2015.0, 2025.0, 60.0, 40.0);
        assert_eq!(ticks.len(), 10);
        assert_eq!(ticks[0], (2015, 2015.5, true));
        assert!(ticks.iter().all(|t| t.2), "60 px a year labels every year");
        let year: crate::domain::Period = "2024".parse().unwrap();
        assert_eq!(
            ticks[9].1,
            period_x(&year),
            "the 2024 tick is where 2024 is drawn"
        );
        // 25 years on a phone: every fifth year labelled, the others still ticked.
        let narrow = year_ticks(2000.0, 2025.0, 11.0, 40.0);
        assert_eq!(narrow.len(), 25);
        let labelled: Vec<i32> = narrow.iter().filter(|t| t.2).map(|t| t.0).collect();
        assert_eq!(labelled, [2000, 2005, 2010, 2015, 2020]);
        // One year, too narrow for its step: still named.
        assert_eq!(
            year_ticks(2023.0, 2024.0, 3.0, 40.0),
            [(2023, 2023.5, true)]
        );
    }

    #[test]
    fn part_year_periods_are_told_apart_from_years() {
        let p = |s: &str| s.parse::<crate::domain::Period>().unwrap();
        assert!(!is_part_year(&p("2024")));
        for s in ["2024-H1", "2024-Q3", "2025-02", "2024-01/2024-08"] {
            assert!(is_part_year(&p(s)), "{s}");
        }
        // The half year sits inside its year, left of the 2024 tick.
        assert!(period_x(&p("2024-H1")) < period_x(&p("2024")));
        assert!(period_x(&p("2024-H1")) > 2024.0);
    }

    #[test]
    fn a_drag_becomes_whole_years_within_the_axis() {
        // 2000..2010 drawn over pixels 100..600: 50 px a year.
        let p = Projection {
            px_x: (100, 600),
            px_y: (400, 0),
            x: (2000.0, 2010.0),
            y: (0.0, 1.0),
        };
        assert_eq!(p.zoom_years(230.0, 380.0), Some((2002, 2005)));
        assert_eq!(
            p.zoom_years(380.0, 230.0),
            Some((2002, 2005)),
            "either direction"
        );
        assert_eq!(
            p.zoom_years(50.0, 900.0),
            Some((2000, 2009)),
            "clamped to the axis"
        );
        assert_eq!(p.zoom_years(300.0, 305.0), None, "a click is not a range");
    }
}
