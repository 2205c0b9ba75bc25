import Foundation
import InfraModel
import ResultFiles
import Stochastics

/// Inline SVG charts of `report.html`: exceedance curve, restoration curves, mitigation options,
/// coordination heat map and a map of assets. Each is an `<svg>` with a fixed id and a `<title>`;
/// coordinates are printed with at most two decimals so that the output is stable.
enum ReportCharts {
    /// Tableau 10: distinct colours for sectors.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
    /// Sequential reds for the heat map (ColorBrewer Reds, 5 classes).
    static let reds = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]
    /// Risk classes of the map, low to high (ColorBrewer YlOrRd).
    static let riskColours = ["#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]
    static let riskRadius: [Double] = [2.2, 2.6, 3.0, 3.6, 4.4]
    static let noRiskColour = "#b8bec6"

    static func open(id: String, width: Double, height: Double, title: String) -> String {
        "<svg id=\"\(id)\" viewBox=\"0 0 \(NumberText.coordinate(width)) \(NumberText.coordinate(height))\" width=\"\(NumberText.coordinate(width))\" height=\"\(NumberText.coordinate(height))\" role=\"img\" aria-labelledby=\"\(id)-title\" font-size=\"12\">\n"
            + "<title id=\"\(id)-title\">\(RB.html(title))</title>\n"
    }

    // MARK: axes

    /// A "nice" tick step (1, 2 or 5 × 10^k) for about `count` intervals over `range`.
    static func niceStep(_ range: Double, _ count: Int) -> Double {
        guard range > 0, range.isFinite else { return 1 }
        let raw = range / Double(max(1, count))
        let mag = pow(10, floor(log10(raw)))
        let f = raw / mag
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag
    }

    /// The domain widened to whole ticks, and the ticks.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = lo, hi = hi
        if !(hi > lo) { hi = lo + 1 }
        let step = niceStep(hi - lo, count)
        let a = (lo / step).rounded(.down), b = (hi / step).rounded(.up)
        lo = a * step
        hi = b * step
        let n = Int(b - a)
        let t = (0...max(0, n)).map { (a + Double($0)) * step }
        return (lo, hi, t)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ style: String) -> String {
        "<line x1=\"\(NumberText.coordinate(x1))\" y1=\"\(NumberText.coordinate(y1))\" x2=\"\(NumberText.coordinate(x2))\" y2=\"\(NumberText.coordinate(y2))\" \(style)/>\n"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "middle", extra: String = "") -> String {
        "<text x=\"\(NumberText.coordinate(x))\" y=\"\(NumberText.coordinate(y))\" text-anchor=\"\(anchor)\"\(extra.isEmpty ? "" : " " + extra)>\(RB.html(s))</text>\n"
    }

    /// A generous estimate of the rendered width of `s` in the report's sans-serif font
    /// (0.62 em per character: wider than the average of digits and lowercase letters), for
    /// keeping labels inside their chart.
    static func textWidth(_ s: String, fontSize: Double) -> Double {
        Double(s.count) * fontSize * 0.62
    }

    static func shorten(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// Linear interpolation in a colour ramp, t in [0, 1].
    static func ramp(_ stops: [String], _ t: Double) -> String {
        func rgb(_ h: String) -> (Double, Double, Double) {
            let v = Int(h.dropFirst(), radix: 16) ?? 0
            return (Double((v >> 16) & 255), Double((v >> 8) & 255), Double(v & 255))
        }
        let t = min(1, max(0, t.isFinite ? t : 0))
        let x = t * Double(stops.count - 1)
        let k = min(stops.count - 2, Int(x))
        let f = x - Double(k)
        let a = rgb(stops[k]), b = rgb(stops[k + 1])
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    // MARK: exceedance curve

    /// P(loss ≥ x) as a step curve on a logarithmic probability axis; `marks` are (probability, loss).
    static func exceedance(curve: [(loss: Double, probability: Double)], unit: String, marks: [(Double, Double)]) -> String? {
        let pts = curve.filter { $0.probability > 0 && $0.loss.isFinite }
            .sorted { $0.loss != $1.loss ? $0.loss < $1.loss : $0.probability > $1.probability }
        guard let first = pts.first, let last = pts.last else { return nil }
        let W = 720.0, H = 380.0, L = 74.0, R = 44.0, T = 18.0, B = 52.0
        let pw = W - L - R, ph = H - T - B
        let xt = ticks(min(0, first.loss), last.loss)
        let pMin = pts.map(\.probability).min()!
        var decLo = Int(floor(log10(pMin) + 1e-12))
        if decLo >= 0 { decLo = -1 }
        func fx(_ l: Double) -> Double { L + (l - xt.lo) / (xt.hi - xt.lo) * pw }
        func fy(_ p: Double) -> Double { T + (log10(max(p, pow(10, Double(decLo)))) / Double(decLo)) * ph }
        var o = open(id: "chart-exceedance", width: W, height: H, title: "Exceedance curve of loss (\(unit))")
        o += "<g stroke=\"#e3e6ea\" stroke-width=\"1\">\n"
        for d in decLo...0 { o += line(L, fy(pow(10, Double(d))), L + pw, fy(pow(10, Double(d))), "") }
        for x in xt.ticks { o += line(fx(x), T, fx(x), T + ph, "") }
        o += "</g>\n<g fill=\"#333\">\n"
        for d in decLo...0 { o += text(L - 6, fy(pow(10, Double(d))) + 4, NumberText.probability(pow(10, Double(d))), anchor: "end") }
        for x in xt.ticks { o += text(fx(x), T + ph + 16, NumberText.figure(x)) }
        o += text(L + pw / 2, H - 10, "loss (\(unit))")
        o += text(16, T + ph / 2, "probability of at least this loss", extra: "transform=\"rotate(-90 16 \(NumberText.coordinate(T + ph / 2)))\"")
        o += "</g>\n"
        o +=
            "<rect x=\"\(NumberText.coordinate(L))\" y=\"\(NumberText.coordinate(T))\" width=\"\(NumberText.coordinate(pw))\" height=\"\(NumberText.coordinate(ph))\" fill=\"none\" stroke=\"#9aa3ad\"/>\n"
        // for x in (l[i-1], l[i]] the probability is p[i]
        var d = "M\(NumberText.coordinate(fx(xt.lo))) \(NumberText.coordinate(fy(first.probability)))H\(NumberText.coordinate(fx(first.loss)))"
        for p in pts.dropFirst() { d += "V\(NumberText.coordinate(fy(p.probability)))H\(NumberText.coordinate(fx(p.loss)))" }
        d += "V\(NumberText.coordinate(T + ph))"
        o += "<path d=\"\(d)\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n"
        for (p, l) in marks {
            o +=
                "<circle cx=\"\(NumberText.coordinate(fx(l)))\" cy=\"\(NumberText.coordinate(fy(p)))\" r=\"4\" fill=\"#1b1f24\"><title>\(RB.html("probability \(NumberText.probability(p)): loss at least \(NumberText.figure(l)) \(unit)"))</title></circle>\n"
            // a label that would run past the right edge goes left of its point
            let label = "\(NumberText.probability(p)): \(NumberText.figure(l))"
            let fits = fx(l) + 7 + Self.textWidth(label, fontSize: 11) <= W - 2
            o += text(fits ? fx(l) + 7 : fx(l) - 7, fy(p) - 6, label, anchor: fits ? "start" : "end", extra: "font-size=\"11\" fill=\"#1b1f24\"")
        }
        return o + "</svg>\n"
    }

    // MARK: restoration curves

    /// Hour ticks at a step of 1, 2, 3, 6, 12, 24, 48, 72, 168, 336 or 720 h, at most `count` intervals.
    static func hourTicks(_ horizon: Double, count: Int) -> [Double] {
        let steps: [Double] = [1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720, 1440, 2160, 4320, 8760]
        let step = steps.first { horizon / $0 <= Double(count) } ?? niceStep(horizon, count)
        return stride(from: 0, through: horizon + 1e-9, by: step).map { $0 }
    }

    /// Small multiples: per sector the mean people without service over time (line) and the band
    /// from p05 to p95 (shaded), each panel on its own scale. Sectors never without service are
    /// named below the panels instead.
    static func restoration(timeline: [TimelineRow], sectors: [String], horizon: Double?) -> String? {
        var series: [(name: String, colour: String, rows: [TimelineRow])] = []
        var flat: [String] = []
        for (k, s) in sectors.enumerated() {
            let rows = timeline.filter { $0.sector == s }.sorted { $0.hours < $1.hours }
            if rows.isEmpty { continue }
            if rows.allSatisfy({ $0.p95 <= 0 && $0.mean <= 0 }) { flat.append(s); continue }
            series.append((s, palette[k % palette.count], thin(rows, to: 600)))
        }
        guard !series.isEmpty || !flat.isEmpty else { return nil }
        let hMax = max(horizon ?? 0, timeline.map(\.hours).max() ?? 0)
        let xMax = hMax > 0 ? hMax : 1
        let xTicks = hourTicks(xMax, count: 7)
        let columns = series.count > 1 ? 2 : 1
        let panelW = 430.0, panelH = 170.0, L = 64.0, R = 14.0, T = 24.0, B = 34.0
        let plotW = panelW - L - R, plotH = panelH - T - B
        let rows = (series.count + columns - 1) / columns
        let W = panelW * Double(columns), H = panelH * Double(rows) + (flat.isEmpty ? 6 : 30) + 16
        var o = open(id: "chart-restoration", width: W, height: H, title: "Restoration curves: people without service per sector over time")
        for (k, sr) in series.enumerated() {
            let ox = panelW * Double(k % columns), oy = panelH * Double(k / columns)
            let yMax = sr.rows.map { max($0.p95, $0.mean) }.max() ?? 0
            let yt = ticks(0, yMax > 0 ? yMax : 1, count: 3)
            func fx(_ h: Double) -> Double { ox + L + h / xMax * plotW }
            func fy(_ v: Double) -> Double { oy + T + plotH - (v - yt.lo) / (yt.hi - yt.lo) * plotH }
            o += "<g>\n<title>\(RB.html(sr.name))</title>\n"
            o += text(ox + L, oy + T - 8, sr.name, anchor: "start", extra: "font-weight=\"600\"")
            o += "<g stroke=\"#e3e6ea\" stroke-width=\"1\">\n"
            for y in yt.ticks { o += line(ox + L, fy(y), ox + L + plotW, fy(y), "") }
            for x in xTicks { o += line(fx(x), oy + T, fx(x), oy + T + plotH, "") }
            o += "</g>\n<g fill=\"#333\" font-size=\"10\">\n"
            for y in yt.ticks { o += text(ox + L - 5, fy(y) + 3, NumberText.figure(y), anchor: "end") }
            for x in xTicks { o += text(fx(x), oy + T + plotH + 13, NumberText.figure(x)) }
            o += "</g>\n"
            o +=
                "<rect x=\"\(NumberText.coordinate(ox + L))\" y=\"\(NumberText.coordinate(oy + T))\" width=\"\(NumberText.coordinate(plotW))\" height=\"\(NumberText.coordinate(plotH))\" fill=\"none\" stroke=\"#9aa3ad\"/>\n"
            var band = sr.rows.map { "\(NumberText.coordinate(fx($0.hours))),\(NumberText.coordinate(fy($0.p95)))" }
            band += sr.rows.reversed().map { "\(NumberText.coordinate(fx($0.hours))),\(NumberText.coordinate(fy($0.p05)))" }
            o += "<polygon points=\"\(band.joined(separator: " "))\" fill=\"\(sr.colour)\" fill-opacity=\"0.22\" stroke=\"none\"/>\n"
            o +=
                "<polyline points=\"\(sr.rows.map { "\(NumberText.coordinate(fx($0.hours))),\(NumberText.coordinate(fy($0.mean)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(sr.colour)\" stroke-width=\"1.8\"/>\n"
            o += "</g>\n"
        }
        var y = panelH * Double(rows) + 14
        o += text(
            L, y, "hours after the start; people without service: mean (line) and p05–p95 (band), each panel on its own scale", anchor: "start",
            extra: "font-size=\"11\" fill=\"#555\"")
        if !flat.isEmpty {
            y += 18
            o += text(L, y, "never without service: " + flat.joined(separator: ", "), anchor: "start", extra: "font-size=\"11\" fill=\"#555\"")
        }
        return o + "</svg>\n"
    }

    /// At most `n` rows: every k-th row and the last.
    static func thin(_ rows: [TimelineRow], to n: Int) -> [TimelineRow] {
        guard rows.count > n else { return rows }
        let k = (rows.count + n - 1) / n
        var out = stride(from: 0, to: rows.count, by: k).map { rows[$0] }
        if out.last?.hours != rows.last?.hours { out.append(rows.last!) }
        return out
    }

    // MARK: mitigation options

    static let maxMitigationBars = 40
    /// Bars of portfolio members (and of all options when there is no budget).
    static let memberColour = "#4e79a7"
    /// Bars of options outside the portfolio.
    static let otherColour = "#c3cad3"

    /// Loss reduction bars with 95% CI whiskers and cost labels beside benefit/cost bars (nil: nothing evaluated).
    static func mitigations(
        ranked: [MitigationRow], member: (MitigationRow) -> Bool?, unit: String,
        benefitCostUnit: String?, skipped: [String]
    ) -> (String, String)? {
        guard !ranked.isEmpty else { return nil }
        var note = ""
        let items = Array(ranked.prefix(maxMitigationBars))
        if ranked.count > items.count {
            note = " Only the \(items.count) options with the largest loss reductions of \(ranked.count) are drawn."
        }
        let n = Double(items.count)
        let labelW = 210.0, p1w = 430.0, gap1 = 104.0, p2w = 160.0, gap2 = 56.0
        let T = 40.0, rowH = 26.0, barH = 14.0
        let p1x = labelW, p2x = labelW + p1w + gap1
        let W = p2x + p2w + gap2
        let plotH = n * rowH
        let H = T + plotH + 62 + (skipped.isEmpty ? 0 : 18)
        // domains
        var lo = 0.0, hi = 0.0
        for r in items {
            for v in [r.lossReduction, r.ci95Low, r.ci95High] { if let v, v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        }
        let xt = ticks(lo, hi, count: 5)
        func fx(_ v: Double) -> Double { p1x + (v - xt.lo) / (xt.hi - xt.lo) * p1w }
        var bcLo = 0.0, bcHi = 0.0
        for r in items { if let v = r.benefitCost, v.isFinite { bcLo = min(bcLo, v); bcHi = max(bcHi, v) } }
        let bt = ticks(bcLo, bcHi, count: 3)
        func fb(_ v: Double) -> Double { p2x + (v - bt.lo) / (bt.hi - bt.lo) * p2w }
        func cy(_ k: Int) -> Double { T + (Double(k) + 0.5) * rowH }

        var o = open(id: "chart-mitigations", width: W, height: H, title: "Mitigation options: loss reduction with 95% CI, cost and benefit/cost")
        o += text(p1x, T - 14, "Loss reduction with its 95% CI; label: cost", anchor: "start", extra: "font-weight=\"600\"")
        o += text(p2x, T - 14, "Benefit/cost", anchor: "start", extra: "font-weight=\"600\"")
        o += "<g stroke=\"#e3e6ea\" stroke-width=\"1\">\n"
        for x in xt.ticks { o += line(fx(x), T, fx(x), T + plotH, "") }
        for x in bt.ticks { o += line(fb(x), T, fb(x), T + plotH, "") }
        o += "</g>\n<g fill=\"#333\" font-size=\"10\">\n"
        for x in xt.ticks { o += text(fx(x), T + plotH + 14, NumberText.figure(x)) }
        for x in bt.ticks { o += text(fb(x), T + plotH + 14, NumberText.figure(x)) }
        o += "</g>\n<g fill=\"#333\" font-size=\"11\">\n"
        o += text(p1x + p1w / 2, T + plotH + 30, "loss reduction (\(unit))")
        o += text(p2x + p2w / 2, T + plotH + 30, benefitCostUnit.map { $0.isEmpty ? "benefit/cost" : $0 } ?? "benefit/cost")
        o += "</g>\n"
        o +=
            "<rect x=\"\(NumberText.coordinate(p1x))\" y=\"\(NumberText.coordinate(T))\" width=\"\(NumberText.coordinate(p1w))\" height=\"\(NumberText.coordinate(plotH))\" fill=\"none\" stroke=\"#9aa3ad\"/>\n"
        o +=
            "<rect x=\"\(NumberText.coordinate(p2x))\" y=\"\(NumberText.coordinate(T))\" width=\"\(NumberText.coordinate(p2w))\" height=\"\(NumberText.coordinate(plotH))\" fill=\"none\" stroke=\"#9aa3ad\"/>\n"
        for (k, r) in items.enumerated() {
            let y = cy(k)
            let m = member(r)
            let fill = m == false ? otherColour : memberColour
            let weight = m == true ? " font-weight=\"600\"" : ""
            o +=
                "<text x=\"\(NumberText.coordinate(labelW - 8))\" y=\"\(NumberText.coordinate(y + 4))\" text-anchor=\"end\"\(weight)>\(RB.html(shorten(r.option, 26)))<title>\(RB.html(r.option))</title></text>\n"
            let v = r.lossReduction ?? 0
            var tip =
                "\(r.option): loss reduction \(NumberText.figure(r.lossReduction)) \(unit) (95% CI \(RB.ci(r.ci95Low, r.ci95High))), cost \(NumberText.whole(r.cost)) EUR, benefit/cost \(NumberText.figure(r.benefitCost))"
            if benefitCostUnit == nil, r.benefitCost != nil, !r.benefitCostUnit.isEmpty { tip += " " + r.benefitCostUnit }
            if let m { tip += m ? ", in the recommended portfolio" : ", not in the portfolio" }
            let x0 = min(fx(0), fx(v)), x1 = max(fx(0), fx(v))
            o +=
                "<rect class=\"mit-bar\" x=\"\(NumberText.coordinate(x0))\" y=\"\(NumberText.coordinate(y - barH / 2))\" width=\"\(NumberText.coordinate(x1 - x0))\" height=\"\(NumberText.coordinate(barH))\" fill=\"\(fill)\"><title>\(RB.html(tip))</title></rect>\n"
            var right = max(x1, fx(0))
            if let l = r.ci95Low, let h = r.ci95High {
                let a = fx(l), b = fx(h)
                o +=
                    "<path d=\"M\(NumberText.coordinate(a)) \(NumberText.coordinate(y))H\(NumberText.coordinate(b))M\(NumberText.coordinate(a)) \(NumberText.coordinate(y - 5))V\(NumberText.coordinate(y + 5))M\(NumberText.coordinate(b)) \(NumberText.coordinate(y - 5))V\(NumberText.coordinate(y + 5))\" fill=\"none\" stroke=\"#1b1f24\" stroke-width=\"1.3\"/>\n"
                right = max(right, a, b)
            }
            o += text(right + 6, y + 4, RB.eurShort(r.cost), anchor: "start", extra: "font-size=\"11\" fill=\"#444\"")
            if let bc = r.benefitCost, bc.isFinite {
                let b0 = min(fb(0), fb(bc)), b1 = max(fb(0), fb(bc))
                var bcTip = "\(r.option): benefit/cost \(NumberText.figure(bc))"
                if let u = benefitCostUnit ?? (r.benefitCostUnit.isEmpty ? nil : r.benefitCostUnit), !u.isEmpty { bcTip += " " + u }
                o +=
                    "<rect class=\"mit-bc\" x=\"\(NumberText.coordinate(b0))\" y=\"\(NumberText.coordinate(y - barH / 2))\" width=\"\(NumberText.coordinate(b1 - b0))\" height=\"\(NumberText.coordinate(barH))\" fill=\"\(fill)\"><title>\(RB.html(bcTip))</title></rect>\n"
                o += text(max(b1, fb(0)) + 4, y + 4, NumberText.figure(bc), anchor: "start", extra: "font-size=\"11\" fill=\"#444\"")
            } else {
                o += text(fb(0) + 4, y + 4, "–", anchor: "start", extra: "font-size=\"11\" fill=\"#444\"")
            }
        }
        if xt.lo < 0 { o += line(fx(0), T, fx(0), T + plotH, "stroke=\"#6b7280\" stroke-width=\"1\"") }
        if bt.lo < 0 { o += line(fb(0), T, fb(0), T + plotH, "stroke=\"#6b7280\" stroke-width=\"1\"") }
        if benefitCostUnit == "ratio" && bt.lo <= 1 && bt.hi >= 1 {
            o +=
                "<line x1=\"\(NumberText.coordinate(fb(1)))\" y1=\"\(NumberText.coordinate(T))\" x2=\"\(NumberText.coordinate(fb(1)))\" y2=\"\(NumberText.coordinate(T + plotH))\" stroke=\"#c0392b\" stroke-width=\"1\" stroke-dasharray=\"3 3\"><title>benefit/cost 1: above it the option pays for itself</title></line>\n"
        }
        // legend
        var ly = T + plotH + 52
        var lx = p1x
        let hasMembers = items.contains { member($0) != nil }
        if hasMembers {
            o +=
                "<rect x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(ly - 9))\" width=\"12\" height=\"10\" fill=\"\(memberColour)\"/>\n"
            o += text(lx + 16, ly, "in the recommended portfolio", anchor: "start", extra: "font-size=\"11\"")
            lx += 190
            o +=
                "<rect x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(ly - 9))\" width=\"12\" height=\"10\" fill=\"\(otherColour)\"/>\n"
            o += text(lx + 16, ly, "not in it", anchor: "start", extra: "font-size=\"11\"")
            lx += 90
        }
        o +=
            "<path d=\"M\(NumberText.coordinate(lx)) \(NumberText.coordinate(ly - 4))H\(NumberText.coordinate(lx + 24))M\(NumberText.coordinate(lx)) \(NumberText.coordinate(ly - 9))V\(NumberText.coordinate(ly + 1))M\(NumberText.coordinate(lx + 24)) \(NumberText.coordinate(ly - 9))V\(NumberText.coordinate(ly + 1))\" fill=\"none\" stroke=\"#1b1f24\" stroke-width=\"1.3\"/>\n"
        o += text(lx + 30, ly, "95% CI of the paired loss reduction", anchor: "start", extra: "font-size=\"11\"")
        if !skipped.isEmpty {
            ly += 18
            o += text(p1x, ly, "not evaluated: " + skipped.joined(separator: ", "), anchor: "start", extra: "font-size=\"11\" fill=\"#555\"")
        }
        return (o + "</svg>\n", note)
    }

    // MARK: coordination heat map

    static let maxHeatOwners = 30

    /// Owners (rows) × owners they depend on (columns), coloured by expected loss.
    static func coordination(rows: [CoordinationRow]) -> (String, String)? {
        guard !rows.isEmpty else { return nil }
        var value: [String: Double] = [:]
        var total: [String: Double] = [:]
        for r in rows {
            value[r.owner + "\u{0}" + r.dependsOn] = r.expectedLoss
            total[r.owner, default: 0] += max(0, r.expectedLoss)
            total[r.dependsOn, default: 0] += max(0, r.expectedLoss)
        }
        var owners = total.keys.sorted(by: RB.byteLess)
        var note = ""
        if owners.count > maxHeatOwners {
            note = " Only the \(maxHeatOwners) owners with the largest expected losses (as either side) of \(owners.count) are shown."
            owners = owners.sorted { total[$0]! != total[$1]! ? total[$0]! > total[$1]! : RB.byteLess($0, $1) }
            owners = Array(owners.prefix(maxHeatOwners)).sorted(by: RB.byteLess)
        }
        let n = Double(owners.count)
        let cell = max(14, min(44, 620 / n))
        let labelW = 180.0, labelH = 140.0, legendH = 64.0
        let W = max(labelW + n * cell + 30, labelW + 400), H = labelH + n * cell + legendH
        let vmax = rows.map(\.expectedLoss).max() ?? 0
        var o = open(id: "chart-coordination", width: W, height: H, title: "Coordination heat map: expected loss by owner pair")
        o += "<defs><linearGradient id=\"coord-grad\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">"
        for (k, c) in reds.enumerated() { o += "<stop offset=\"\(NumberText.coordinate(Double(k) / Double(reds.count - 1)))\" stop-color=\"\(c)\"/>" }
        o += "</linearGradient></defs>\n"
        o += text(labelW - 6, labelH - 8, "owner ↓ depends on →", anchor: "end", extra: "font-size=\"11\" fill=\"#555\"")
        for (j, c) in owners.enumerated() {
            let x = labelW + (Double(j) + 0.5) * cell
            o +=
                "<text transform=\"translate(\(NumberText.coordinate(x + 4)) \(NumberText.coordinate(labelH - 6))) rotate(-50)\" text-anchor=\"start\" font-size=\"11\">\(RB.html(shorten(c, 24)))<title>\(RB.html(c))</title></text>\n"
        }
        for (i, r) in owners.enumerated() {
            let y = labelH + Double(i) * cell
            o +=
                "<text x=\"\(NumberText.coordinate(labelW - 6))\" y=\"\(NumberText.coordinate(y + cell / 2 + 4))\" text-anchor=\"end\" font-size=\"11\">\(RB.html(shorten(r, 26)))<title>\(RB.html(r))</title></text>\n"
            for (j, c) in owners.enumerated() {
                let x = labelW + Double(j) * cell
                let rect =
                    "x=\"\(NumberText.coordinate(x))\" y=\"\(NumberText.coordinate(y))\" width=\"\(NumberText.coordinate(cell))\" height=\"\(NumberText.coordinate(cell))\" stroke=\"#fff\" stroke-width=\"1\""
                if r == c {
                    o += "<rect \(rect) fill=\"#dee2e6\"><title>\(RB.html(r)) (same owner)</title></rect>\n"
                    continue
                }
                guard let v = value[r + "\u{0}" + c] else {
                    o += "<rect \(rect) fill=\"#f8f9fa\"><title>\(RB.html("\(r) depends on \(c): not in coordination.csv"))</title></rect>\n"
                    continue
                }
                let t = vmax > 0 && v > 0 ? v / vmax : 0
                let fill = v > 0 ? ramp(reds, t) : "#f1f3f5"
                o +=
                    "<rect \(rect) fill=\"\(fill)\"><title>\(RB.html("\(r) depends on \(c): expected loss \(NumberText.figure(v))"))</title></rect>\n"
                if cell >= 34 && v > 0 {
                    o += text(
                        x + cell / 2, y + cell / 2 + 3, NumberText.figure(v),
                        extra: "font-size=\"9\" fill=\"\(t > 0.55 ? "#fff" : "#1b1f24")\" pointer-events=\"none\"")
                }
            }
        }
        let ly = labelH + n * cell + 22
        o +=
            "<rect x=\"\(NumberText.coordinate(labelW))\" y=\"\(NumberText.coordinate(ly))\" width=\"200\" height=\"12\" fill=\"url(#coord-grad)\" stroke=\"#9aa3ad\" stroke-width=\"0.5\"/>\n"
        o += text(labelW, ly + 26, "0", anchor: "start", extra: "font-size=\"11\"")
        o += text(labelW + 200, ly + 26, NumberText.figure(max(vmax, 0)), anchor: "end", extra: "font-size=\"11\"")
        o += text(labelW + 210, ly + 10, "expected loss", anchor: "start", extra: "font-size=\"11\"")
        o +=
            "<rect x=\"\(NumberText.coordinate(labelW + 300))\" y=\"\(NumberText.coordinate(ly))\" width=\"12\" height=\"12\" fill=\"#f1f3f5\" stroke=\"#9aa3ad\" stroke-width=\"0.5\"/>\n"
        o += text(labelW + 316, ly + 10, "none", anchor: "start", extra: "font-size=\"11\"")
        return (o + "</svg>\n", note)
    }

    // MARK: map of assets

    /// Assets drawn one by one on the map (the highest risk); the rest are binned.
    static let maxMapPoints = 5000
    static let maxPointTitles = 300

    /// Assets at x,y (equirectangular with cos(lat) for wgs84, plain for projected) coloured by risk.
    static func map(assets: AssetRows, coordinates: String, footprints: [FootprintShape] = []) -> (String, String)? {
        // source indices of the assets with coordinates (no copies of the rows: O(assets)
        // Int32s), in report order (without ranks that is the drawing order: no sort), found
        // by reading the rows in source order (sequential) and then only a flag per position
        var hasXY = [Bool](repeating: false, count: assets.count)
        var minLat = Double.infinity, maxLat = -Double.infinity
        for (k, a) in assets.inSourceOrder.enumerated() {
            guard let ay = a.y, a.x != nil else { continue }
            hasXY[k] = true; minLat = min(minLat, ay); maxLat = max(maxLat, ay)
        }
        var pts: [Int32] = []
        pts.reserveCapacity(assets.count)
        for s in assets.order where hasXY[Int(s)] { pts.append(s) }
        guard !pts.isEmpty else { return nil }
        var note = ""
        let missing = assets.count - pts.count
        if missing > 0 { note += " \(RB.plural(missing, "asset")) without x,y \(missing == 1 ? "is" : "are") not drawn." }
        let wgs = coordinates == "wgs84"
        let lat0 = ((minLat + maxLat) / 2) * Double.pi / 180
        let kx = wgs ? cos(lat0) : 1
        func px(_ a: AssetRow) -> Double { a.x! * kx }
        func py(_ a: AssetRow) -> Double { a.y! }
        // extent, risks and the positive risks: one pass in source order (sequential)
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        var risk = [Double](repeating: 0, count: assets.count)
        var positive: [Double] = []
        for (k, a) in assets.inSourceOrder.enumerated() where hasXY[k] {
            minX = min(minX, px(a)); maxX = max(maxX, px(a)); minY = min(minY, py(a)); maxY = max(maxY, py(a))
            let r = a.risk
            risk[k] = r
            if r > 0 { positive.append(r) }
        }
        hasXY = []
        let span0 = max(maxX - minX, maxY - minY)
        let unitSpan = span0 > 0 ? span0 : (wgs ? 0.01 : 100)
        if maxX - minX < unitSpan * 0.05 { let m = (minX + maxX) / 2; minX = m - unitSpan * 0.025; maxX = m + unitSpan * 0.025 }
        if maxY - minY < unitSpan * 0.05 { let m = (minY + maxY) / 2; minY = m - unitSpan * 0.025; maxY = m + unitSpan * 0.025 }
        let spanX = maxX - minX, spanY = maxY - minY
        let scale = min(720 / spanX, 540 / spanY)
        let w = spanX * scale, h = spanY * scale
        let pad = 14.0, inner = 10.0, legendW = 230.0
        let W = w + 2 * pad + 2 * inner + legendW, H = max(h + 2 * pad + 2 * inner + 30, 240)
        func sx(_ a: AssetRow) -> Double { pad + inner + (px(a) - minX) * scale }
        func sy(_ a: AssetRow) -> Double { pad + inner + (maxY - py(a)) * scale }

        // risk classes: quantiles of the positive risks (GSL's rule, interpolated)
        positive.sort()
        var cuts: [Double] = []
        if !positive.isEmpty {
            for f in [0.5, 0.75, 0.9, 0.97] { cuts.append(Statistics.quantileSorted(positive, p: f)) }
        }
        positive = []
        func riskClass(_ v: Double) -> Int { v > 0 ? cuts.filter { v > $0 }.count : -1 }
        // draw the riskiest last (on top); keep the riskiest when there are too many. Sorting
        // indices by a risk array: O(n log n) comparisons, no row copies.
        func riskier(_ i: Int32, _ j: Int32) -> Bool {
            let ri = risk[Int(i)], rj = risk[Int(j)]
            if ri != rj { return ri > rj }
            return assets.sourceInIdOrder ? i < j : RB.byteLess(assets.source(i).id, assets.source(j).id)
        }
        // the report's rows are by rank, then risk and id: without ranks already in this order
        if !zip(pts, pts.dropFirst()).allSatisfy({ !riskier($1, $0) }) { pts.sort(by: riskier) }
        risk = []
        var binned: ArraySlice<Int32> = []
        if pts.count > maxMapPoints {
            binned = pts[maxMapPoints...]
            note +=
                " The \(maxMapPoints) assets with the highest risk are drawn one by one; the other \(binned.count) are counted in grey grid cells (darker: more assets)."
        }
        let drawn = pts.prefix(maxMapPoints)
        var range: [Int: (Double, Double, Int)] = [:]
        for k in drawn {
            let a = assets.source(k)
            let c = riskClass(a.risk)
            let r = range[c] ?? (a.risk, a.risk, 0)
            range[c] = (min(r.0, a.risk), max(r.1, a.risk), r.2 + 1)
        }
        let riskName = assets.inSourceOrder.contains { $0.n1 != nil } ? "p_damage × n1_impact" : "p_outage × population"
        var o = open(id: "chart-map", width: W, height: H, title: "Map of assets coloured by risk (\(riskName))")
        o +=
            "<rect x=\"\(NumberText.coordinate(pad))\" y=\"\(NumberText.coordinate(pad))\" width=\"\(NumberText.coordinate(w + 2 * inner))\" height=\"\(NumberText.coordinate(h + 2 * inner))\" fill=\"#f7f9fb\" stroke=\"#9aa3ad\"/>\n"
        let kmPerUnitX = wgs ? 111.32 : 0.001
        o += HazardFootprints.svg(
            footprints, project: { p in (pad + inner + (p.x * kx - minX) * scale, pad + inner + (maxY - p.y) * scale) },
            kmToPixels: scale / kmPerUnitX, clip: (pad, pad, w + 2 * inner, h + 2 * inner))
        if !binned.isEmpty { o += bins(binned.sorted().lazy.map { assets.source($0) }, x: sx, y: sy, x0: pad + inner, y0: pad + inner, w: w, h: h) }
        let outlines = zoneOutlines(assets, x: sx, y: sy, xRange: (pad + inner, pad + inner + w))
        o += outlines.svg
        if outlines.more > 0 {
            note += " Zone outlines are drawn for the \(maxZoneOutlines) zones with the most people; \(outlines.more) more zones are not outlined."
        }
        o += "<g stroke=\"#333\" stroke-width=\"0.3\">\n"
        for (k, i) in drawn.enumerated().reversed() {
            let a = assets.source(i)
            let c = riskClass(a.risk)
            let fill = c < 0 ? noRiskColour : riskColours[c]
            let r = c < 0 ? 1.6 : riskRadius[c]
            let circle =
                "<circle cx=\"\(NumberText.coordinate(sx(a)))\" cy=\"\(NumberText.coordinate(sy(a)))\" r=\"\(NumberText.coordinate(r))\" fill=\"\(fill)\""
            if k < maxPointTitles {
                let label = "\(a.id) (\(a.sector)\(a.owner.isEmpty ? "" : ", " + a.owner)): risk \(NumberText.figure(a.risk))"
                o += circle + "><title>\(RB.html(label))</title></circle>\n"
            } else {
                o += circle + "/>\n"
            }
        }
        o += "</g>\n"
        // scale bar
        let kmPerUnit = wgs ? 111.32 : 0.001
        let spanKm = spanX * kmPerUnit
        if spanKm > 0 {
            let barKm = niceStep(spanKm, 4)
            let barPx = barKm / kmPerUnit * scale
            let by = pad + h + 2 * inner + 20
            o += line(pad, by, pad + barPx, by, "stroke=\"#333\" stroke-width=\"2\"")
            o += text(
                pad + barPx + 6, by + 4, barKm >= 1 ? "\(NumberText.figure(barKm)) km" : "\(NumberText.figure(barKm * 1000)) m", anchor: "start",
                extra: "font-size=\"11\"")
        }
        // legend
        let lx = pad + w + 2 * inner + 20
        var ly = pad + 12
        o += text(lx, ly, "risk (people)", anchor: "start", extra: "font-size=\"11\" font-weight=\"600\"")
        ly += 14
        o += text(lx, ly, "= \(riskName)", anchor: "start", extra: "font-size=\"10\" fill=\"#555\"")
        ly += 18
        for c in (0..<riskColours.count).reversed() {
            guard let r = range[c] else { continue }
            o +=
                "<circle cx=\"\(NumberText.coordinate(lx + 6))\" cy=\"\(NumberText.coordinate(ly - 4))\" r=\"\(NumberText.coordinate(riskRadius[c] + 1))\" fill=\"\(riskColours[c])\" stroke=\"#333\" stroke-width=\"0.3\"/>\n"
            let span =
                NumberText.figure(r.0) == NumberText.figure(r.1) ? NumberText.figure(r.0) : "\(NumberText.figure(r.0))–\(NumberText.figure(r.1))"
            o += text(lx + 18, ly, "\(span) (\(RB.plural(r.2, "asset")))", anchor: "start", extra: "font-size=\"11\"")
            ly += 18
        }
        if let r = range[-1] {
            o +=
                "<circle cx=\"\(NumberText.coordinate(lx + 6))\" cy=\"\(NumberText.coordinate(ly - 4))\" r=\"2.6\" fill=\"\(noRiskColour)\" stroke=\"#333\" stroke-width=\"0.3\"/>\n"
            o += text(lx + 18, ly, "0 (\(RB.plural(r.2, "asset")))", anchor: "start", extra: "font-size=\"11\"")
            ly += 18
        }
        if !binned.isEmpty {
            o +=
                "<rect x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(ly - 10))\" width=\"12\" height=\"12\" fill=\"#5a6470\" fill-opacity=\"0.5\"/>\n"
            o += text(lx + 18, ly, "\(RB.plural(binned.count, "other asset")), binned", anchor: "start", extra: "font-size=\"11\"")
            ly += 18
        }
        if !footprints.isEmpty {
            let events = Array(Set(footprints.map(\.event))).sorted(by: RB.byteLess).joined(separator: ", ")
            let lo = footprints.map(\.value).min() ?? 0, hi = footprints.map(\.value).max() ?? 0
            o +=
                "<rect x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(ly - 10))\" width=\"12\" height=\"12\" fill=\"#2c7fb8\" fill-opacity=\"0.25\" stroke=\"#2c7fb8\"/>\n"
            o += text(lx + 18, ly, "\(events) footprint", anchor: "start", extra: "font-size=\"11\"")
            ly += 14
            let props = Array(Set(footprints.map(\.property).filter { !$0.isEmpty })).sorted(by: RB.byteLess)
            let what = props.count == 1 ? props[0] : "intensity"
            o += text(
                lx + 18, ly, "\(what) \(NumberText.figure(lo))–\(NumberText.figure(hi)) (darker: higher)", anchor: "start",
                extra: "font-size=\"10\" fill=\"#555\"")
            ly += 18
        }
        if outlines.count > 0 {
            o +=
                "<rect x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(ly - 10))\" width=\"12\" height=\"12\" fill=\"#2f5d8a\" fill-opacity=\"0.06\" stroke=\"#2f5d8a\" stroke-dasharray=\"3 2\"/>\n"
            o += text(lx + 18, ly, "zone (outline of its assets)", anchor: "start", extra: "font-size=\"11\"")
            ly += 18
        }
        o += text(lx, ly + 4, "risk: expected people affected", anchor: "start", extra: "font-size=\"10\" fill=\"#555\"")
        return (o + "</svg>\n", note)
    }

    /// Zones outlined on the map at most (those with the most people, ties by name).
    static let maxZoneOutlines = 200

    /// Outlines of the zones on the map: the convex hull of each zone's assets (zones with at
    /// least 3 assets at distinct points), labelled with the zone id at the hull's centre, for
    /// the `maxZoneOutlines` zones with the most people. Per zone only the lowest and highest
    /// point of each pixel column is kept, so memory is O(zones × width), time O(assets), and
    /// each hull (Andrew's monotone chain) O(width log width).
    static func zoneOutlines(
        _ assets: AssetRows, x: (AssetRow) -> Double, y: (AssetRow) -> Double,
        xRange: (Double, Double)
    ) -> (svg: String, count: Int, more: Int) {
        var people: [String: (Double, Int)] = [:]
        for a in assets.inSourceOrder where !a.zone.isEmpty && a.x != nil && a.y != nil {
            let p = people[a.zone] ?? (0, 0)
            people[a.zone] = (p.0 + a.population, p.1 + 1)
        }
        let eligible = people.filter { $0.value.1 >= 3 }
        let chosen = eligible.sorted { $0.value.0 != $1.value.0 ? $0.value.0 > $1.value.0 : RB.byteLess($0.key, $1.key) }.prefix(maxZoneOutlines)
        guard !chosen.isEmpty else { return ("", 0, 0) }
        var slot: [String: Int] = [:]
        for (k, z) in chosen.enumerated() { slot[z.key] = k }
        var columns = [[Int: (Double, Double)]](repeating: [:], count: chosen.count)
        for a in assets.inSourceOrder where a.x != nil && a.y != nil {
            guard let k = slot[a.zone] else { continue }
            let px = x(a), py = y(a), c = Int(px.rounded())
            let e = columns[k][c] ?? (py, py)
            columns[k][c] = (min(e.0, py), max(e.1, py))
        }
        var o = "<g fill=\"#2f5d8a\" fill-opacity=\"0.06\" stroke=\"#2f5d8a\" stroke-width=\"0.8\" stroke-dasharray=\"3 2\">\n"
        var labels = "<g fill=\"#2f5d8a\" font-size=\"10\" text-anchor=\"middle\">\n"
        var drawn = 0
        for (k, z) in chosen.enumerated() {
            var points: [(Double, Double)] = []
            for (c, e) in columns[k] { points.append((Double(c), e.0)); if e.1 != e.0 { points.append((Double(c), e.1)) } }
            let hull = GeometryMath.convexHull(points)
            guard hull.count >= 3 else { continue }
            drawn += 1
            o +=
                "<polygon points=\"" + hull.map { "\(NumberText.coordinate($0.0)),\(NumberText.coordinate($0.1))" }.joined(separator: " ")
                + "\"><title>\(RB.html("zone \(z.key): \(RB.plural(z.value.1, "asset")), \(NumberText.figure(z.value.0)) people"))</title></polygon>\n"
            let cx = hull.map(\.0).reduce(0, +) / Double(hull.count), cy = hull.map(\.1).reduce(0, +) / Double(hull.count)
            let half = textWidth(z.key, fontSize: 10) / 2
            let lx = min(max(cx, xRange.0 + half), xRange.1 - half)
            labels += "<text x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(cy + 3))\">\(RB.html(z.key))</text>\n"
        }
        return (o + "</g>\n" + labels + "</g>\n", drawn, eligible.count - chosen.count)
    }

    /// Cells of the map's grid (`mapBinPixels` square) holding assets not drawn one by one,
    /// shaded by how many they hold (log scale, the fullest cell darkest), with the count as a
    /// title. O(assets + cells).
    static func bins<C: Collection<AssetRow>>(
        _ assets: C, x: (AssetRow) -> Double, y: (AssetRow) -> Double,
        x0: Double, y0: Double, w: Double, h: Double
    ) -> String {
        let size = mapBinPixels
        let nx = max(1, Int((w / size).rounded(.up)) + 1), ny = max(1, Int((h / size).rounded(.up)) + 1)
        var count = [Int](repeating: 0, count: nx * ny)
        for a in assets {
            let i = min(nx - 1, max(0, Int((x(a) - x0) / size))), j = min(ny - 1, max(0, Int((y(a) - y0) / size)))
            count[j * nx + i] += 1
        }
        let top = Double(count.max() ?? 1)
        var o = "<g fill=\"#5a6470\">\n"
        for j in 0..<ny {
            for i in 0..<nx where count[j * nx + i] > 0 {
                let c = count[j * nx + i]
                let opacity = 0.12 + 0.68 * log(1 + Double(c)) / log(1 + top)
                o +=
                    "<rect x=\"\(NumberText.coordinate(x0 + Double(i) * size))\" y=\"\(NumberText.coordinate(y0 + Double(j) * size))\" width=\"\(NumberText.coordinate(size))\" height=\"\(NumberText.coordinate(size))\" fill-opacity=\"\(NumberText.coordinate(opacity))\"><title>\(RB.plural(c, "asset"))</title></rect>\n"
            }
        }
        return o + "</g>\n"
    }

    /// Side of a map grid cell for binned assets, in SVG pixels.
    static let mapBinPixels = 12.0
}
