//! Bubble-chart label placement: pure arithmetic in pixel space, shared by the server's SVG and the
//! browser's canvas, so labels land in the same place in both.

/// Pixels between a bubble's edge and its label.
const LABEL_GAP: f64 = 3.0;
/// Pixels kept clear between two labels, so text never touches.
const LABEL_SPACING: f64 = 1.0;
/// How deep (pixels) a label may cut into another bubble: a sliver is fine, hiding it is not.
const BUBBLE_SLACK: f64 = 2.0;
/// Rings of candidates tried beyond the first; further out a label stops reading as its bubble's.
const EXTRA_RINGS: usize = 3;

#[derive(Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn too_close(&self, o: &Rect) -> bool {
        let s = LABEL_SPACING;
        self.x < o.x + o.w + s
            && o.x < self.x + self.w + s
            && self.y < o.y + o.h + s
            && o.y < self.y + self.h + s
    }

    /// How far a circle reaches into the rectangle; infinite when its centre is covered.
    fn depth_of_circle(&self, cx: f64, cy: f64, r: f64) -> f64 {
        let nx = cx.clamp(self.x, self.x + self.w);
        let ny = cy.clamp(self.y, self.y + self.h);
        if nx == cx && ny == cy {
            return f64::INFINITY;
        }
        r - (cx - nx).hypot(cy - ny)
    }
}

/// Places bubble labels without collisions, in pixel space (y grows downwards).
///
/// `points` are bubble centres and radii, `label_sizes` the matching label widths and heights, and
/// `bounds` is `(left, top, right, bottom)`. Returns each label's top-left corner, or `None` where no
/// candidate fits: the label is then hidden and the table and tooltip still carry it. Larger bubbles are
/// labelled first since they are the ones readers look at. Candidates go right, left, above and below
/// the bubble, then the same further out; the first that stays inside `bounds`, keeps clear of labels
/// already placed and cuts into no other bubble by more than a sliver wins. Deterministic.
pub fn place_labels(
    points: &[(f64, f64, f64)],
    label_sizes: &[(f64, f64)],
    bounds: (f64, f64, f64, f64),
) -> Vec<Option<(f64, f64)>> {
    let (left, top, right, bottom) = bounds;
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[b].2.total_cmp(&points[a].2).then(a.cmp(&b)));
    let mut placed: Vec<Rect> = Vec::new();
    let mut out = vec![None; points.len()];
    for i in order {
        let (cx, cy, r) = points[i];
        let Some(&(w, h)) = label_sizes.get(i) else {
            continue;
        };
        let sane = [cx, cy, r, w, h].iter().all(|v| v.is_finite());
        if !sane || r < 0.0 || w <= 0.0 || h <= 0.0 {
            continue;
        }
        let step = h + LABEL_GAP;
        let candidates = (0..=EXTRA_RINGS).flat_map(|ring| {
            let off = r + LABEL_GAP + ring as f64 * step;
            [
                (cx + off, cy - h / 2.0),
                (cx - off - w, cy - h / 2.0),
                (cx - w / 2.0, cy - off - h),
                (cx - w / 2.0, cy + off),
            ]
        });
        for (x, y) in candidates {
            let rect = Rect { x, y, w, h };
            let inside = x >= left && y >= top && x + w <= right && y + h <= bottom;
            let fits = inside
                && !placed.iter().any(|p| p.too_close(&rect))
                && !points.iter().enumerate().any(|(j, &(px, py, pr))| {
                    j != i && pr.is_finite() && rect.depth_of_circle(px, py, pr) > BUBBLE_SLACK
                });
            if fits {
                placed.push(rect);
                out[i] = Some((x, y));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_goes_right_then_left_then_above() {
        let b = (0.0, 0.0, 200.0, 100.0);
        let open = place_labels(&[(50.0, 50.0, 10.0)], &[(40.0, 12.0)], b);
        assert_eq!(open, vec![Some((50.0 + 10.0 + LABEL_GAP, 44.0))]);
        let near_right = place_labels(&[(180.0, 50.0, 10.0)], &[(40.0, 12.0)], b);
        assert_eq!(near_right, vec![Some((180.0 - 13.0 - 40.0, 44.0))]);
        // Too wide for either side: above.
        let wide = place_labels(&[(100.0, 50.0, 10.0)], &[(150.0, 12.0)], b);
        assert_eq!(wide, vec![Some((25.0, 50.0 - 13.0 - 12.0))]);
        // Bigger than the plot: hidden.
        let huge = place_labels(&[(100.0, 50.0, 10.0)], &[(300.0, 12.0)], b);
        assert_eq!(huge, vec![None]);
    }

    #[test]
    fn larger_bubbles_are_labelled_first() {
        // Two bubbles whose only candidates share one spot: the larger one gets it.
        let b = (0.0, 0.0, 100.0, 30.0);
        let pts = [(15.0, 15.0, 4.0), (85.0, 15.0, 6.0)];
        let sizes = [(50.0, 12.0), (50.0, 12.0)];
        let got = place_labels(&pts, &sizes, b);
        assert_eq!(got[1], Some((85.0 - 6.0 - LABEL_GAP - 50.0, 9.0)));
        assert_eq!(got[0], None);
    }

    #[test]
    fn missing_or_bad_sizes_hide_the_label() {
        let b = (0.0, 0.0, 200.0, 100.0);
        let got = place_labels(
            &[
                (50.0, 50.0, 5.0),
                (150.0, 50.0, 5.0),
                (100.0, f64::NAN, 5.0),
            ],
            &[(0.0, 12.0), (20.0, 10.0)],
            b,
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], None);
        assert!(got[1].is_some());
        assert_eq!(got[2], None);
    }

    /// Numerical Recipes' LCG: a reproducible "random" layout without a dependency.
    struct Lcg(u32);

    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            self.0 as f64 / u32::MAX as f64
        }
    }

    #[test]
    fn dense_layout_never_overlaps_and_stays_inside() {
        for seed in [1, 7, 42, 2024] {
            let mut rng = Lcg(seed);
            let bounds = (10.0, 5.0, 610.0, 405.0);
            let mut pts = Vec::new();
            let mut sizes = Vec::new();
            for _ in 0..250 {
                pts.push((
                    rng.next() * 620.0,
                    rng.next() * 410.0,
                    2.0 + rng.next() * 20.0,
                ));
                sizes.push((20.0 + rng.next() * 70.0, 10.0 + rng.next() * 4.0));
            }
            let got = place_labels(&pts, &sizes, bounds);
            assert_eq!(got, place_labels(&pts, &sizes, bounds), "deterministic");
            assert_eq!(got.len(), pts.len());
            let rects: Vec<(usize, Rect)> = got
                .iter()
                .enumerate()
                .filter_map(|(i, g)| {
                    g.map(|(x, y)| {
                        let (w, h) = sizes[i];
                        (i, Rect { x, y, w, h })
                    })
                })
                .collect();
            assert!(rects.len() > 20, "seed {seed}: only {} placed", rects.len());
            assert!(rects.len() < pts.len(), "seed {seed}: dense set fits all");
            for (i, r) in &rects {
                assert!(r.x >= 10.0 && r.y >= 5.0, "seed {seed}: {i} outside");
                assert!(r.x + r.w <= 610.0 && r.y + r.h <= 405.0, "{i} outside");
                for (j, &(px, py, pr)) in pts.iter().enumerate() {
                    if j != *i {
                        assert!(r.depth_of_circle(px, py, pr) <= BUBBLE_SLACK);
                    }
                }
            }
            for (a, (i, ra)) in rects.iter().enumerate() {
                for (j, rb) in &rects[a + 1..] {
                    let overlap_w = (ra.x + ra.w).min(rb.x + rb.w) - ra.x.max(rb.x);
                    let overlap_h = (ra.y + ra.h).min(rb.y + rb.h) - ra.y.max(rb.y);
                    assert!(
                        overlap_w <= 0.0 || overlap_h <= 0.0,
                        "seed {seed}: labels {i} and {j} overlap"
                    );
                }
            }
        }
    }
}
