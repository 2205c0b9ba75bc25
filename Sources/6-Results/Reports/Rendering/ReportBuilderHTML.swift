import Foundation

/// `report.html`: one self-contained page (inline CSS, inline SVG, one small inline script that
/// checks the charts drew; no external URLs, fonts or network access).
enum ReportHTML {
    static let css = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; color: #1b1f24; background: #fafafa; line-height: 1.45; }
        main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
        h1 { font-size: 1.7em; margin: 0.2em 0 0.3em; }
        h2 { font-size: 1.25em; margin: 1.8em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #d8dde3; }
        nav { font-size: 0.9em; margin: 0.5em 0 1em; }
        nav a { margin-right: 0.9em; color: #2f5d8a; text-decoration: none; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; background: #f1f3f5; padding: 0 3px; border-radius: 3px; }
        table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.9em; max-width: 100%; }
        th, td { border: 1px solid #d8dde3; padding: 3px 8px; vertical-align: top; }
        td { overflow-wrap: anywhere; }
        td:first-child { overflow-wrap: break-word; }
        th { background: #eef1f4; text-align: left; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
        tbody tr:nth-child(even) td { background: #f8f9fa; }
        tr.level-severe td:nth-child(3) { background: #b2182b; color: #fff; font-weight: 600; }
        tr.level-warning td:nth-child(3) { background: #ef8a62; }
        tr.level-advisory td:nth-child(3) { background: #fddbc7; }
        figure { margin: 1em 0 1.5em; }
        figcaption { font-size: 0.85em; color: #555; margin-top: 0.3em; max-width: 860px; }
        svg { max-width: 100%; height: auto; background: #fff; }
        svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
        .note { color: #555; font-style: italic; }
        @page { size: A4; margin: 12mm; }
        @media print, (max-width: 900px) {
          body { background: #fff; }
          main { max-width: none; padding: 12px 10px 24px; }
          table { font-size: 0.72em; }
          th, td { padding: 2px 3px; }
          th { overflow-wrap: anywhere; }
        }
        @media print {
          main { padding: 0; }
          tr, figure, svg { page-break-inside: avoid; }
        }
        """

    /// Sets `data-rendered="ok"` on the body when every chart svg has child elements and a size.
    static let script = """
        (function () {
          var svgs = document.querySelectorAll('svg[id^="chart-"]');
          var ok = true;
          for (var i = 0; i < svgs.length; i++) {
            var s = svgs[i], r = s.getBoundingClientRect();
            if (s.childElementCount < 2 || !s.querySelector('title') || !(r.width > 0) || !(r.height > 0)) { ok = false; }
          }
          document.body.setAttribute('data-charts', String(svgs.length));
          document.body.dataset.rendered = ok ? 'ok' : 'failed';
        })();
        """

    static func page(title: String, blocks: [Block]) -> String {
        var o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        o += "<title>\(RB.html(title)) — Kaskada report</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n<main>\n"
        // contents: the level-2 headings
        let sections = blocks.compactMap { b -> (String, String)? in
            if case .heading(2, let text, let anchor) = b { return (text, anchor) }
            return nil
        }
        let nav = "<nav>" + sections.map { "<a href=\"#\(RB.html($0.1))\">\(RB.html($0.0))</a>" }.joined(separator: " ") + "</nav>\n"
        var navDone = false
        for b in blocks {
            switch b {
            case .heading(let level, let text, let anchor):
                o += "<h\(level) id=\"\(RB.html(anchor))\">\(RB.html(text))</h\(level)>\n"
                if level == 1 && !navDone { navDone = true; o += nav }
            case .paragraph(let xs):
                o += "<p>" + inline(xs) + "</p>\n"
            case .htmlParagraph(let xs):
                o += "<p class=\"note\">" + inline(xs) + "</p>\n"
            case .markdownParagraph:
                continue
            case .bullets(let items):
                o += "<ul>\n" + items.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</ul>\n"
            case .table(let t):
                o += table(t)
            case .chart(let svg, let caption):
                o += "<figure>\n" + svg + "<figcaption>" + RB.html(caption) + "</figcaption>\n</figure>\n"
            }
        }
        o += "</main>\n<script>\n\(script)\n</script>\n</body>\n</html>\n"
        return o
    }

    static func inline(_ xs: [Inline]) -> String {
        xs.map { x -> String in
            switch x {
            case .text(let s): return RB.html(s)
            case .code(let s): return "<code>" + RB.html(s) + "</code>"
            case .strong(let s): return "<strong>" + RB.html(s) + "</strong>"
            }
        }.joined()
    }

    static func table(_ t: ReportTable) -> String {
        var o = "<table>\n<thead><tr>"
        for (k, h) in t.headers.enumerated() {
            o += (k < t.numeric.count && t.numeric[k] ? "<th class=\"num\">" : "<th>") + RB.html(h) + "</th>"
        }
        o += "</tr></thead>\n<tbody>\n"
        for (r, row) in t.rows.enumerated() {
            if r < t.rowClass.count, let c = t.rowClass[r] { o += "<tr class=\"\(RB.html(c))\">" } else { o += "<tr>" }
            for (k, cell) in row.enumerated() {
                o += (k < t.numeric.count && t.numeric[k] ? "<td class=\"num\">" : "<td>") + RB.html(cell) + "</td>"
            }
            o += "</tr>\n"
        }
        return o + "</tbody>\n</table>\n"
    }
}
