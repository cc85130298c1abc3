/// The catalog's stylesheet, served at `/assets/catalog.css` from the binary.
enum CatalogStyle {
    static let css = """
        :root { --ink: #1d2330; --muted: #5c6475; --line: #dde1e8; --bg: #f6f7f9; --card: #fff; --accent: #2f5bd3;
          --ok: #1f7a4d; --warn: #a35b00; --bad: #b42318; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45;
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif; }
        a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
        header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px; background: #182034; color: #fff; }
        header.top a { color: #fff; } .brand { font-weight: 700; letter-spacing: .2px; }
        header nav { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; margin-left: auto; }
        .who { color: #c6cde0; font-size: 13px; }
        .badge { display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 10px; background: #e5484d; color: #fff; font-size: 12px; text-align: center; }
        main { max-width: 1120px; margin: 0 auto; padding: 18px 20px 48px; }
        h1 { font-size: 24px; margin: 4px 0 6px; overflow-wrap: anywhere; } h2 { font-size: 17px; margin: 0 0 10px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 0 0 16px; min-width: 0; }
        .grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
        .layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
        @media (max-width: 760px) { .grid2, .layout { grid-template-columns: minmax(0, 1fr); } main { padding: 12px 10px 40px; } header.top { padding: 10px 12px; } }
        form.search { display: flex; gap: 8px; margin: 0 0 8px; }
        input[type=search], input[type=password], input[type=text], textarea { flex: 1; min-width: 0; width: 100%; padding: 9px 11px; font: inherit;
          border: 1px solid #b9c0cc; border-radius: 6px; background: #fff; }
        button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid #b9c0cc; background: #fff; cursor: pointer; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.danger { color: var(--bad); border-color: #e4b4af; }
        header form.inline button { padding: 3px 10px; font-size: 13px; background: transparent; color: #fff; border-color: #55607a; }
        .count { color: var(--muted); font-size: 13px; margin: 0 0 8px; }
        table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); font-weight: 600; }
        td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .scroll { overflow-x: auto; }
        .sub { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; } .cat { color: #7a8294; font-size: 12px; }
        .state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #eef0f4; color: var(--muted); white-space: nowrap; }
        .state.active { background: #e3f4ea; color: var(--ok); } .state.proposed { background: #fff2dd; color: var(--warn); }
        .state.rejected, .state.retired { background: #fde7e5; color: var(--bad); }
        dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 14px; margin: 0; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .big { font-size: 28px; font-weight: 700; } .muted { color: var(--muted); }
        .chart { width: 100%; height: auto; display: block; }
        .chart text { font-size: 12px; fill: var(--ink); } .chart .n, .chart .axis { fill: var(--muted); font-size: 11px; }
        .chart.bars rect { fill: var(--accent); } .chart .grid { stroke: #eceef2; }
        .chart .line { fill: none; stroke-width: 2; } .chart .cov { stroke: #182034; stroke-width: 3; } .chart .pt { fill: #182034; }
        .s0 { stroke: #2f5bd3; } .s1 { stroke: #1f9d6b; } .s2 { stroke: #d9822b; } .s3 { stroke: #b73fb0; } .s4 { stroke: #c23b3b; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; margin: 6px 0 0; padding: 0; list-style: none; }
        .legend li::before { content: ""; display: inline-block; width: 14px; height: 3px; margin-right: 6px; vertical-align: middle; background: currentColor; }
        .legend .cov { color: #182034; } .legend .c0 { color: #2f5bd3; } .legend .c1 { color: #1f9d6b; } .legend .c2 { color: #d9822b; }
        .legend .c3 { color: #b73fb0; } .legend .c4 { color: #c23b3b; }
        ol.source { margin: 0; padding: 10px 0 10px 3.2em; background: #10151f; color: #e4e8f0; border-radius: 6px; overflow-x: auto;
          font: 12.5px/1.5 ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; }
        ol.source li { white-space: pre; padding-right: 12px; } ol.source li::marker { color: #6d7689; }
        pre.diff { margin: 0; padding: 10px 12px; background: #fbfbfc; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto;
          font: 12.5px/1.5 ui-monospace, "DejaVu Sans Mono", monospace; }
        pre.diff span { display: block; white-space: pre; } pre.diff .add { background: #e6f6ec; color: #14532d; } pre.diff .del { background: #fdeceb; color: #7f1d1d; }
        pre.diff .hunk { color: #6b7280; }
        ul.plain { list-style: none; margin: 0; padding: 0; } ul.plain li { padding: 3px 0; overflow-wrap: anywhere; }
        .warn { background: #fff6e6; border-color: #f3d19c; } .notice { background: #e9f7ef; border-color: #b4e0c6; } .error { background: #fdecea; border-color: #f3b8b2; }
        details.node { margin: 2px 0 2px 0; } details.node details.node { margin-left: 18px; }
        details.node summary { cursor: pointer; padding: 3px 0; } details.node ul { margin: 2px 0 6px 20px; padding: 0; list-style: square; }
        .n { color: var(--muted); font-size: 12px; }
        .decision { display: grid; gap: 8px; margin-top: 10px; } .decision .row { display: flex; flex-wrap: wrap; gap: 8px; }
        code.hash { font-size: 12px; background: #eef0f4; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
        .signin { max-width: 420px; margin: 40px auto; }
        h2.gap { margin-top: 16px; } ul.columns { columns: 2; column-gap: 24px; } .nowrap { white-space: nowrap; }
        table.compact th, table.compact td { padding: 5px 6px; font-size: 13px; }
        .phone { display: none; }
        @media (max-width: 760px) { .wide { display: none; } .phone { display: block; } th, td { padding: 6px 5px; }
          .chart text { font-size: 15px; } .chart .n, .chart .axis { font-size: 14px; } }
        """
}
