(() => {
'use strict';
const DATA = JSON.parse(document.getElementById('package-data').textContent);
const PKG = DATA.package;
const T = DATA.tables;
const NAMES = DATA.order;
const main = document.getElementById('main');
const INSTRUMENTS = ['supply', 'environment', 'demand'];
// The data dictionary's recipe "the money a document promises": money granted (fund, subsidy,
// award) in yuan, outside articles (which report), not lent or guaranteed (credit). Only `fund`
// rows that are not per unit nor one choice of a `分别` list add up to what a document sets
// aside; subsidy and award rows say what one beneficiary may get, never a total.
const PROMISED = ['fund', 'subsidy', 'award'];
const REPORTING_KINDS = ['article'];
function promisedMoney(a) {
  return PROMISED.includes(a.role) && a.max_cny !== null && a.max_cny !== undefined && !a.credit
    && !REPORTING_KINDS.includes((DOC.get(a.document_id) || {}).kind);
}
const setAside = a => promisedMoney(a) && a.role === 'fund' && !a.per && !a.paired_with;
const entitlement = a => promisedMoney(a) && a.role !== 'fund';
const LIMIT = 200;

// ---- rows as objects, and the indexes the views need ------------------------------------
const R = {};
for (const name of NAMES) {
  const cols = T[name].columns.map(c => c.name);
  R[name] = T[name].rows.map(row => { const o = {}; cols.forEach((c, i) => { o[c] = row[i]; }); return o; });
}
function index(rows, key) { const m = new Map(); for (const r of rows) m.set(r[key], r); return m; }
function group(rows, key) {
  const m = new Map();
  for (const r of rows) {
    const k = r[key];
    if (k === null || k === undefined) continue;
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(r);
  }
  return m;
}
const DOC = index(R.documents, 'document_id');
const MEA = index(R.measures, 'measure_id');
const AG = index(R.agencies, 'agency_id');
const AMT_BY_M = group(R.amounts, 'measure_id');
const TGT_BY_M = group(R.targets, 'measure_id');
const MA_BY_M = group(R.measure_agencies, 'measure_id');
const MA_BY_AG = group(R.measure_agencies, 'agency_id');
const M_BY_DOC = group(R.measures, 'document_id');
const CHILDREN = group(R.measures, 'parent_measure_id');
const SUBDOCS = group(R.documents, 'parent_document_id');
const PREDECESSORS = group(R.agencies, 'successor_id');
const AMT_BY_DOC = group(R.amounts, 'document_id');
const TGT_BY_DOC = group(R.targets, 'document_id');
const CODEBOOK = new Map(DATA.codebook.map(c => [c.instrument + '/' + c.subtype, c.covers]));

// ---- small helpers --------------------------------------------------------------------------
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, kids);
  return el;
}
const SVGNS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVGNS, tag);
  setAttrs(el, attrs);
  append(el, kids);
  return el;
}
function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}
function append(el, kids) {
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
}
const href = (kind, id) => '#/' + kind + '/' + encodeURIComponent(id);
const fmtInt = n => Number(n).toLocaleString('en-US');
function fmtNum(v) {
  if (typeof v !== 'number') return String(v);
  return Math.abs(v) >= 1e4 ? v.toLocaleString('en-US', {maximumFractionDigits: 2}) : String(v);
}
function fmtCNY(v) {
  if (v === null || v === undefined) return '—';
  const a = Math.abs(v);
  const r = (x, unit) => x.toLocaleString('en-US', {maximumFractionDigits: 2}) + ' ' + unit;
  if (a >= 1e12) return r(v / 1e12, '万亿元');
  if (a >= 1e8) return r(v / 1e8, '亿元');
  if (a >= 1e4) return r(v / 1e4, '万元');
  return r(v, '元');
}
function snippet(text, n) { text = text || ''; return text.length > n ? text.slice(0, n) + '…' : text; }
// The label cut to `px` pixels of 13px text: Han characters are about twice as wide as Latin.
function fit(label, px) {
  let width = 0;
  for (let i = 0; i < label.length; i++) {
    width += label.charCodeAt(i) > 0x2e80 ? 13.5 : 7.5;
    if (width > px) return label.slice(0, Math.max(i - 1, 1)) + '…';
  }
  return label;
}
function plural(n, word) { return n + ' ' + (n === 1 ? word.replace(/ies$/, 'y').replace(/s$/, '') : word); }
function sum(rows, key) { return rows.reduce((a, r) => a + (typeof r[key] === 'number' ? r[key] : 0), 0); }
function docLabel(d) { return d ? (d.title || d.document_id) : ''; }
function measureLabel(m) {
  if (!m) return '';
  const head = m.heading || snippet(m.text, 36);
  return (m.label ? m.label + ' ' : '') + head;
}
function agencyName(id) { const a = AG.get(id); return a ? a.name : id; }
function instBadge(m) {
  const inst = m.instrument || 'none';
  const sub = m.instrument_subtype;
  const title = m.instrument ? (CODEBOOK.get(m.instrument + '/' + sub) || '') : 'no policy instrument';
  return h('span', {class: 'inst inst-' + inst, title}, m.instrument ? m.instrument + (sub ? ' · ' + sub : '') : 'none');
}
function roleBadge(role) { return h('span', {class: 'role role-' + role}, role); }
function setTitle(text) { document.title = (text ? text + ' — ' : '') + PKG.title + ' ' + PKG.version; }
function meta(pairs) {
  return h('dl', {class: 'meta'}, pairs.filter(p => p).map(([k, v]) => [h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? h('span', {class: 'null'}, '—') : v)]));
}
function notFound(kind, id) {
  setTitle('not found');
  main.append(h('section', {class: 'notfound'}, h('h1', null, 'Not found'),
    h('p', null, kind ? 'No ' + kind + ' with id ' : 'No such page: ', h('code', null, id || location.hash)),
    h('p', null, h('a', {href: '#/'}, '← back to the overview'))));
}

// ---- table cells ----------------------------------------------------------------------------
const LINKS = {
  document_id: 'document', parent_document_id: 'document', measure_id: 'measure',
  parent_measure_id: 'measure', agency_id: 'agency', successor_id: 'agency',
};
function linkTitle(kind, id) {
  if (kind === 'document') return docLabel(DOC.get(id));
  if (kind === 'measure') return measureLabel(MEA.get(id));
  return agencyName(id);
}
const LONG = new Set();
for (const name of NAMES) for (const c of T[name].columns) {
  if (c.type === 'string' && !c.name.endsWith('_id') && R[name].some(r => typeof r[c.name] === 'string' && r[c.name].length > 40)) LONG.add(c.name);
}
function cell(col, v, extra) {
  const cls = (...names) => [...names, extra].filter(x => x).join(' ') || null;
  if (v === null || v === undefined) return h('td', {class: cls()}, h('span', {class: 'null'}, '—'));
  if (LINKS[col.name]) return h('td', {class: cls('id')}, h('a', {href: href(LINKS[col.name], v), title: linkTitle(LINKS[col.name], v)}, v));
  if (col.type === 'number' || col.type === 'integer') return h('td', {class: cls('num')}, col.name.endsWith('_cny') ? h('span', {title: fmtCNY(v)}, fmtNum(v)) : fmtNum(v));
  if (col.type === 'boolean') return h('td', {class: cls()}, v ? 'true' : 'false');
  if (col.name.endsWith('_id')) return h('td', {class: cls('id')}, v);
  const text = String(v);
  return h('td', {title: text.length > 90 ? text : null, class: cls(LONG.has(col.name) ? 'long' : null)}, snippet(text, 90));
}
function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean') return a ? 1 : -1;
  return String(a).localeCompare(String(b), 'zh-Hans-CN', {numeric: true});
}

// ---- #/table/NAME ---------------------------------------------------------------------------
function tableView(name, params) {
  const t = T[name];
  if (!t) return notFound('table', name);
  setTitle(name);
  // the key's first column and what a row says (title, name, text): both stay in view when the
  // table scrolls sideways; then the rest of the key, then the other columns in schema order
  const says = ['title', 'name', 'text', 'mention'].find(n => t.columns.some(c => c.name === n));
  const first = [t.primaryKey[0], says, ...t.primaryKey.slice(1)].filter(n => n);
  const sticky = new Set(first.slice(0, says ? 2 : 1));
  const cols = [...first.map(n => t.columns.find(c => c.name === n)), ...t.columns.filter(c => !first.includes(c.name))];
  const rows = R[name];
  main.classList.add('wide');
  const hay = rows.map(r => cols.map(c => {
    const v = r[c.name];
    const extra = LINKS[c.name] && v ? ' ' + linkTitle(LINKS[c.name], v) : '';
    return (v === null ? '' : String(v)) + extra;
  }).join('\u0001').toLowerCase());
  const state = {q: params.get('q') || '', sort: params.get('sort') || '', filters: {}, shown: LIMIT};
  // Filters: every categorical column, the year of a goal, and the kind of the document a row
  // belongs to (money in an article is reported, not promised).
  const filterable = cols.filter(c => c.categories || c.name === 'year').map(c => ({name: c.name, nullable: c.nullable,
    values: c.categories || [...new Set(rows.map(r => r[c.name]).filter(v => v !== null))].sort((a, b) => a - b).map(String)}));
  if (name !== 'documents' && cols.some(c => c.name === 'document_id')) {
    filterable.push({name: 'document_kind', nullable: false, values: T.documents.columns.find(c => c.name === 'kind').categories,
      of: r => (DOC.get(r.document_id) || {}).kind});
  }
  const valueOf = Object.fromEntries(filterable.filter(f => f.of).map(f => [f.name, f.of]));
  for (const c of [...cols, ...filterable]) if (params.has(c.name)) state.filters[c.name] = params.get(c.name);

  const search = h('input', {type: 'search', class: 'search', id: 'search', placeholder: 'Search ' + name + ' (any column)…', value: state.q, 'aria-label': 'search'});
  const count = h('span', {class: 'muted', id: 'rowcount'});
  const selects = filterable.map(c => {
    const sel = h('select', {'data-col': c.name, 'aria-label': c.name},
      h('option', {value: ''}, 'all'),
      c.values.map(v => h('option', {value: v}, v)),
      c.nullable ? h('option', {value: 'null'}, '(null)') : null);
    sel.value = state.filters[c.name] || '';
    sel.addEventListener('change', () => { if (sel.value) state.filters[c.name] = sel.value; else delete state.filters[c.name]; state.shown = LIMIT; render(); });
    return h('label', null, c.name.replace('_', ' ') + ' ', sel);
  });
  const other = Object.keys(state.filters).filter(k => !filterable.find(c => c.name === k));
  const filterNote = other.length ? h('span', null, other.map(k => h('span', {class: 'badge'}, k + ' = ' + state.filters[k])), ' ',
    h('a', {href: '#/table/' + name}, 'clear')) : null;
  const stick = c => sticky.has(c.name) ? 'stick' : null;
  const headRow = h('tr', null, cols.map(c => h('th', {class: ['sortable', stick(c)].filter(x => x).join(' '), 'data-col': c.name, title: c.description + ' (click to sort)'}, c.name, h('span', {class: 'arrow'}))));
  const tbody = h('tbody');
  const table = h('table', {class: 'data', 'data-table': name}, h('thead', null, headRow), tbody);
  const more = h('button', {class: 'more', type: 'button'});
  more.addEventListener('click', () => { state.shown = Infinity; render(); });
  headRow.addEventListener('click', e => {
    const th = e.target.closest('th');
    if (!th) return;
    const col = th.dataset.col;
    state.sort = state.sort === col ? '-' + col : col;
    render();
  });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value; state.shown = LIMIT; render(); }, 80); });

  main.append(h('section', {id: 'table-' + name, class: 'tableview'},
    h('div', {class: 'crumbs'}, h('a', {href: '#/'}, 'overview'), ' › ', name),
    h('h1', null, t.title + ' ', h('span', {class: 'muted'}, '(' + name + ')')),
    h('p', {class: 'lead'}, t.description),
    h('p', {class: 'files'}, 'Download: ', h('a', {href: name + '.csv'}, name + '.csv'), h('a', {href: name + '.parquet'}, name + '.parquet'),
      h('span', {class: 'muted'}, 'primary key: ' + t.primaryKey.join(', '))),
    h('div', {class: 'controls'}, search, selects, filterNote, count),
    h('div', {class: 'scroll tall'}, table),
    more));

  function render() {
    const q = state.q.trim().toLowerCase();
    const terms = q ? q.split(/\s+/) : [];
    let idx = [];
    for (let i = 0; i < rows.length; i++) {
      if (terms.length && !terms.every(term => hay[i].includes(term))) continue;
      let ok = true;
      for (const [k, v] of Object.entries(state.filters)) {
        const x = valueOf[k] ? valueOf[k](rows[i]) : rows[i][k];
        if (v === 'null' ? x !== null : String(x) !== v) { ok = false; break; }
      }
      if (ok) idx.push(i);
    }
    if (state.sort) {
      const desc = state.sort.startsWith('-');
      const key = desc ? state.sort.slice(1) : state.sort;
      idx.sort((a, b) => {
        const va = rows[a][key], vb = rows[b][key];
        if (va === null || va === undefined) return vb === null || vb === undefined ? a - b : 1;
        if (vb === null || vb === undefined) return -1;
        return (desc ? -compare(va, vb) : compare(va, vb)) || a - b;
      });
    }
    for (const th of headRow.children) {
      const key = th.dataset.col;
      th.querySelector('.arrow').textContent = state.sort === key ? '▲' : state.sort === '-' + key ? '▼' : '';
      th.setAttribute('aria-sort', state.sort === key ? 'ascending' : state.sort === '-' + key ? 'descending' : 'none');
    }
    const frag = document.createDocumentFragment();
    for (const i of idx.slice(0, state.shown)) frag.append(h('tr', {'data-key': t.primaryKey.map(k => rows[i][k]).join('/')}, cols.map(c => cell(c, rows[i][c.name], stick(c)))));
    tbody.replaceChildren(frag);
    table.style.setProperty('--stick-left', headRow.firstChild.offsetWidth + 'px');
    count.textContent = (idx.length === rows.length ? '' : fmtInt(idx.length) + ' of ') + fmtInt(rows.length) + ' rows';
    more.hidden = idx.length <= state.shown;
    more.textContent = 'Show all ' + fmtInt(idx.length) + ' rows';
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.sort) p.set('sort', state.sort);
    for (const [k, v] of Object.entries(state.filters)) p.set(k, v);
    const qs = p.toString();
    history.replaceState(null, '', '#/table/' + name + (qs ? '?' + qs : ''));
  }
  render();
}

// ---- charts (inline SVG) -------------------------------------------------------------------
function chartBox(id, title, note, ...body) {
  return h('figure', {class: 'chart', id}, h('h3', null, title), note ? h('p', null, note) : null, body);
}
// Horizontal bars; each item {label, href, parts: [{value, color, title}], note}.
function hbars(items, opts) {
  if (!items.length) return h('p', {class: 'muted'}, 'No data.');
  const W = 560, labelW = opts.labelW || 190, valueW = opts.valueW || 120, rowH = 24, top = 4;
  const max = Math.max(...items.map(it => it.parts.reduce((a, p) => a + p.value, 0)), 1e-9);
  const scale = (W - labelW - valueW - 10) / max;
  const svg = s('svg', {viewBox: `0 0 ${W} ${items.length * rowH + top * 2}`, role: 'img', 'aria-label': opts.aria || ''});
  items.forEach((it, i) => {
    const y = top + i * rowH;
    const label = s('text', {x: labelW - 8, y: y + 16, 'text-anchor': 'end'}, fit(it.label, labelW - 14));
    svg.append(it.href ? s('a', {href: it.href}, s('title', null, it.label), label) : label);
    let x = labelW;
    for (const p of it.parts) {
      const w = p.value > 0 ? Math.max(p.value * scale, 2) : 0;
      const rect = s('rect', {class: 'bar', x, y: y + 4, width: w, height: rowH - 8, fill: p.color, rx: 2}, s('title', null, p.title));
      svg.append(it.href ? s('a', {href: it.href}, rect) : rect);
      x += w;
    }
    svg.append(s('text', {class: 'val', x: x + 6, y: y + 16}, it.note));
  });
  return svg;
}
function legend(entries) {
  return h('div', {class: 'legend'}, entries.map(([cls, label, color]) =>
    h('span', null, h('span', {class: 'sw ' + (cls || ''), style: color ? 'background:' + color : null}), label)));
}
const COLORS = {supply: '#3b7dd8', environment: '#3f9b4f', demand: '#e8862a', none: '#b8bec6',
  lead: '#13233a', support: '#8fa6c8', money: '#1a7f37', cap: '#7fc28f', cited: '#8a939c', target: '#c77700'};

function moneyByRole() {
  const docs = group(R.amounts.filter(setAside), 'document_id');
  const items = [...docs.entries()].map(([id, rows]) => ({id, rows, total: sum(rows, 'max_cny')}))
    .sort((x, y) => y.total - x.total || compare(x.id, y.id)).slice(0, 10)
    .map(({id, rows, total}) => ({label: docLabel(DOC.get(id)), href: href('document', id), note: fmtCNY(total) + ' · ' + rows.length + '×',
      parts: [{value: total, color: COLORS.money, title: 'set aside: ' + fmtCNY(total) + ' in ' + rows.length + ' amounts'}]}));
  const grants = group(R.amounts.filter(entitlement), 'role');
  const entitlements = ['subsidy', 'award'].map(role => {
    const rows = grants.get(role) || [];
    return {label: role, href: '#/table/amounts?role=' + role, note: rows.length + ' amounts, up to ' + fmtCNY(Math.max(0, ...rows.map(r => r.max_cny))),
      parts: [{value: rows.length, color: COLORS.cap, title: role + ': ' + rows.length + ' amounts one beneficiary may get'}]};
  });
  return chartBox('chart-money-role', 'Money promised',
    'The data dictionary\'s recipe: yuan that documents set aside (fund amounts that are not per unit), by document, outside articles; ' +
    'then how many subsidies and awards name what one beneficiary may get (never added up).',
    h('h4', {class: 'muted'}, 'set aside, by document'), hbars(items, {labelW: 250, valueW: 150, aria: 'money set aside by document'}),
    h('h4', {class: 'muted'}, 'per beneficiary: subsidies and awards'), hbars(entitlements, {labelW: 90, valueW: 220, aria: 'subsidies and awards'}));
}

function moneyByAgency() {
  const totals = new Map();
  for (const a of R.amounts) {
    if (!setAside(a) || !a.measure_id) continue;
    const seen = new Set();
    for (const ma of MA_BY_M.get(a.measure_id) || []) {
      const key = ma.agency_id + '|' + (ma.role === 'support' ? 'support' : 'lead');
      if (seen.has(key)) continue;
      seen.add(key);
      if (!totals.has(ma.agency_id)) totals.set(ma.agency_id, {lead: 0, support: 0});
      totals.get(ma.agency_id)[ma.role === 'support' ? 'support' : 'lead'] += a.max_cny || 0;
    }
  }
  const items = [...totals.entries()]
    .map(([id, t]) => ({id, t, total: t.lead + t.support}))
    .sort((x, y) => y.total - x.total || compare(agencyName(x.id), agencyName(y.id)))
    .slice(0, 12)
    .map(({id, t, total}) => ({label: agencyName(id), href: href('agency', id), note: fmtCNY(total),
      parts: [{value: t.lead, color: COLORS.lead, title: 'leads or is responsible: ' + fmtCNY(t.lead)},
              {value: t.support, color: COLORS.support, title: 'supports: ' + fmtCNY(t.support)}]}));
  return chartBox('chart-money-agency', 'Money by agency',
    'Money set aside (as in the chart beside) in the measures each agency is named for, its renamed bodies apart; an amount counts in full for every agency named.',
    legend([[null, 'leads / responsible', COLORS.lead], [null, 'supports', COLORS.support]]),
    hbars(items, {labelW: 200, valueW: 110, aria: 'money by agency'}));
}

function targetsByYear() {
  const counts = new Map();
  for (const t of R.targets) counts.set(t.year, (counts.get(t.year) || 0) + 1);
  const years = [...counts.keys()].filter(y => y !== null).sort((a, b) => a - b);
  if (counts.has(null)) years.push(null);
  if (!years.length) return chartBox('chart-targets-year', 'Targets by year', null, h('p', {class: 'muted'}, 'No data.'));
  const W = 560, H = 220, left = 10, bottom = 24, top = 18;
  const bw = Math.min(60, (W - left) / years.length);
  const max = Math.max(...counts.values());
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'targets by year'});
  svg.append(s('line', {x1: left, x2: W, y1: H - bottom, y2: H - bottom, stroke: '#d0d7de'}));
  years.forEach((y, i) => {
    const n = counts.get(y);
    const bh = (H - bottom - top) * n / max;
    const x = left + i * bw;
    const label = y === null ? 'no year' : String(y);
    svg.append(s('a', {href: '#/table/targets?year=' + (y === null ? 'null' : y)},
      s('rect', {class: 'bar', x: x + bw * 0.15, y: H - bottom - bh, width: bw * 0.7, height: bh, fill: y === null ? COLORS.cited : COLORS.target, rx: 2},
        s('title', null, label + ': ' + n + ' targets')),
      s('text', {x: x + bw / 2, y: H - 7, 'text-anchor': 'middle'}, label)));
    svg.append(s('text', {class: 'val', x: x + bw / 2, y: H - bottom - bh - 4, 'text-anchor': 'middle'}, n));
  });
  return chartBox('chart-targets-year', 'Targets by year',
    'Quantitative goals by the year they are due (stated or implied by the sentence). Click a bar for its rows.', svg);
}

function mixItems(docs) {
  return docs.map(d => {
    const ms = M_BY_DOC.get(d.document_id) || [];
    const n = k => ms.filter(m => (m.instrument || 'none') === k).length;
    return {label: docLabel(d), href: href('document', d.document_id),
      note: plural(ms.length, 'items'),
      parts: [...INSTRUMENTS, 'none'].map(k => ({value: n(k), color: COLORS[k], title: k + ': ' + n(k) + ' items'}))};
  });
}
function mixLegend() { return legend([...INSTRUMENTS, 'none'].map(k => [null, k === 'none' ? 'no instrument' : k, COLORS[k]])); }
function mixBar(ms) {
  return h('div', {class: 'mixbar', role: 'img', 'aria-label': 'policy mix'}, [...INSTRUMENTS, 'none'].map(k => {
    const n = ms.filter(m => (m.instrument || 'none') === k).length;
    return n ? h('span', {style: `flex:${n};background:${COLORS[k]}`, title: k + ': ' + n + ' items'}, (k === 'none' ? '–' : k) + ' ' + n) : null;
  }));
}
function policyMix() {
  const docs = R.documents.filter(d => (M_BY_DOC.get(d.document_id) || []).length);
  return chartBox('chart-policy-mix', 'Policy mix per document',
    'Items of each document by policy instrument (Rothwell & Zegveld: supply, environment, demand).',
    mixLegend(), hbars(mixItems(docs), {labelW: 250, valueW: 70, aria: 'policy mix per document'}));
}

// ---- #/ overview ---------------------------------------------------------------------------
function overview() {
  setTitle('');
  const lic = (PKG.licenses || []).map(l => h('a', {href: l.path}, l.title || l.name));
  const year = (PKG.created || '').slice(0, 4);
  const cite = `${PKG.title}, version ${PKG.version} (${year}). Data package \`${PKG.name}\` built from ${(PKG.sources || []).length} source texts; content sha256 ${PKG.contentHash}.` + (PKG.homepage ? ' ' + PKG.homepage : '');
  main.append(h('section', {id: 'overview'},
    h('h1', null, PKG.title),
    h('p', {class: 'lead'}, PKG.description),
    meta([
      ['version', h('strong', {id: 'pkg-version'}, PKG.version)],
      ['created', PKG.created],
      ['license', lic],
      ['homepage', PKG.homepage ? h('a', {href: PKG.homepage}, PKG.homepage) : null],
      ['content hash', PKG.contentHash ? h('code', null, PKG.contentHash) : null],
    ]),
    h('div', {class: 'cards', id: 'counts'}, NAMES.map(n => h('a', {class: 'card', href: '#/table/' + n, 'data-resource': n, title: T[n].description},
      h('span', {class: 'num'}, fmtInt(R[n].length)), h('span', {class: 'lbl'}, n.replace('_', ' '))))),
    h('h2', null, 'At a glance'),
    h('div', {class: 'charts'}, moneyByRole(), moneyByAgency(), targetsByYear(), policyMix()),
    h('h2', null, 'Documents'),
    documentList(R.documents.filter(d => !d.parent_document_id), 0),
    h('h2', null, 'How to cite'),
    h('blockquote', null, cite),
    h('h2', null, 'Sources'),
    h('div', {class: 'scroll'}, h('table', {id: 'sources'},
      h('thead', null, h('tr', null, h('th', null, 'file'), h('th', null, 'bytes'), h('th', null, 'sha256'))),
      h('tbody', null, (PKG.sources || []).map(src => h('tr', null, h('td', null, src.title), h('td', {class: 'num'}, fmtInt(src.bytes)), h('td', {class: 'id'}, src.sha256)))))),
    (PKG.skippedSources || []).length ? h('p', null, 'Skipped: ', PKG.skippedSources.map(x => x.path + ' (' + x.reason + ')').join('; ')) : null,
    h('h2', null, 'Files'),
    h('p', {class: 'files'}, h('a', {href: 'datapackage.json'}, 'datapackage.json'), h('a', {href: 'README.md'}, 'README.md (data dictionary)'),
      h('a', {href: 'CHANGELOG.md'}, 'CHANGELOG.md'), NAMES.map(n => [h('a', {href: n + '.csv'}, n + '.csv'), h('a', {href: n + '.parquet'}, n + '.parquet')])),
    h('details', null, h('summary', null, 'The instrument codebook'),
      h('table', null, h('thead', null, h('tr', null, h('th', null, 'instrument'), h('th', null, 'subtype'), h('th', null, 'covers'))),
        h('tbody', null, DATA.codebook.map(c => h('tr', null, h('td', null, h('span', {class: 'inst inst-' + c.instrument}, c.instrument)), h('td', null, c.subtype), h('td', null, c.covers))))))));
}
function documentList(docs, depth) {
  return h('ul', {class: 'outline'}, docs.map(d => h('li', {style: 'padding-left:' + depth * 1.5 + 'em'},
    h('a', {href: href('document', d.document_id)}, docLabel(d)), ' ',
    h('span', {class: 'muted'}, [d.kind, d.doc_number, d.issue_date].filter(x => x).join(' · ')),
    h('span', {class: 'counts'}, plural((M_BY_DOC.get(d.document_id) || []).length, 'items')),
    SUBDOCS.has(d.document_id) ? documentList(SUBDOCS.get(d.document_id), depth + 1) : null)));
}

// ---- #/document/ID ---------------------------------------------------------------------------
function documentPage(id) {
  const d = DOC.get(id);
  if (!d) return notFound('document', id);
  setTitle(docLabel(d));
  const ms = M_BY_DOC.get(id) || [];
  const amounts = AMT_BY_DOC.get(id) || [];
  const promised = amounts.filter(setAside);
  const agencies = new Set(ms.flatMap(m => (MA_BY_M.get(m.measure_id) || []).map(x => x.agency_id)));
  const parent = d.parent_document_id ? DOC.get(d.parent_document_id) : null;
  main.append(h('section', {id: 'document', 'data-id': id},
    h('div', {class: 'crumbs'}, h('a', {href: '#/'}, 'overview'), ' › ', h('a', {href: '#/table/documents'}, 'documents'),
      parent ? [' › ', h('a', {href: href('document', parent.document_id)}, snippet(docLabel(parent), 30))] : null),
    h('h1', null, docLabel(d)),
    meta([
      ['document_id', h('code', null, d.document_id)],
      ['kind', d.kind + (d.is_draft ? ' (draft for comment)' : '')],
      ['文号', d.doc_number], ['issuer', d.issuer], ['issue date', d.issue_date], ['jurisdiction', d.jurisdiction],
      ['issued by', parent ? h('a', {href: href('document', parent.document_id)}, docLabel(parent)) : null],
      SUBDOCS.has(id) ? ['attaches', SUBDOCS.get(id).map(c => h('div', null, h('a', {href: href('document', c.document_id)}, docLabel(c))))] : null,
      ['source', [h('code', null, d.source_file), ', lines ' + d.line_start + '–' + d.line_end]],
      ['source sha256', h('code', null, d.source_sha256)],
      ['contains', `${ms.length} items, ${amounts.length} amounts (${promised.length ? fmtCNY(sum(promised, 'max_cny')) : 'no money'} set aside), ${(TGT_BY_DOC.get(id) || []).length} targets, ${agencies.size} agencies`],
    ]),
    ms.length ? [mixLegend(), mixBar(ms)] : null,
    h('h2', null, 'Items'),
    ms.length ? h('ul', {class: 'outline', id: 'items'}, ms.map(m => {
      const na = (AMT_BY_M.get(m.measure_id) || []).length, nt = (TGT_BY_M.get(m.measure_id) || []).length, ng = (MA_BY_M.get(m.measure_id) || []).length;
      const counts = [na ? plural(na, 'amounts') : '', nt ? plural(nt, 'targets') : '', ng ? plural(ng, 'agencies') : ''].filter(x => x).join(' · ');
      return h('li', {style: 'padding-left:' + (m.level - 1) * 1.5 + 'em'},
        h('a', {href: href('measure', m.measure_id)}, h('span', {class: 'lbl'}, m.label || m.path), m.heading || snippet(m.text, 60)), ' ',
        instBadge(m), counts ? h('span', {class: 'counts'}, counts) : null);
    })) : h('p', {class: 'muted'}, 'No items.')));
}

// ---- #/measure/ID ----------------------------------------------------------------------------
const SEPARATORS = '、，,；;';
// Where `needle` stands in `text`, from `from` on (else anywhere); agency mentions whose shared
// suffix was expanded (成都市、绵阳市人民政府) are found by their prefix before a separator.
function locate(text, needle, from, prefixOk) {
  if (!needle) return null;
  for (const start of [from, 0]) {
    const i = text.indexOf(needle, start);
    if (i >= 0) return [i, i + needle.length];
  }
  if (!prefixOk) return null;
  for (let n = needle.length - 1; n >= 2; n--) {
    const p = needle.slice(0, n);
    for (const start of [from, 0]) {
      let i = start;
      while ((i = text.indexOf(p, i)) >= 0) {
        if (i + n < text.length && SEPARATORS.includes(text[i + n])) return [i, i + n];
        i += 1;
      }
    }
  }
  return null;
}
// Agencies are named in responsibility clauses: look for them from the first clause on.
const CLAUSE = /(责任|牵头|配合)(单位|部门)/;
function placeMarks(text, rows, kind, field, title, ref, prefixOk) {
  const marks = [];
  let cursor = kind === 'agency' ? Math.max(text.search(CLAUSE), 0) : 0;
  for (const r of rows) {
    const at = locate(text, r[field], cursor, prefixOk);
    r._found = !!at;
    if (!at) continue;
    cursor = at[1];
    marks.push({start: at[0], end: at[1], kind, title: title(r), ref: ref(r)});
  }
  return marks;
}
function highlight(text, marks) {
  const cover = Array.from({length: text.length}, () => []);
  marks.forEach((m, i) => { for (let k = m.start; k < m.end; k++) cover[k].push(i); });
  const out = [];
  let k = 0;
  while (k < text.length) {
    const key = cover[k].join(',');
    let j = k + 1;
    while (j < text.length && cover[j].join(',') === key) j++;
    const seg = text.slice(k, j);
    if (!cover[k].length) out.push(seg);
    else {
      const ms = cover[k].map(i => marks[i]);
      const kinds = [...new Set(ms.map(m => m.kind))].sort();
      out.push(h('mark', {class: kinds.map(x => 'hl-' + x).join(' '), title: ms.map(m => m.title).join('\n'), 'data-ref': ms.map(m => m.ref).join(' ')}, seg));
    }
    k = j;
  }
  return out;
}
function flash(ref) {
  const row = document.getElementById('row-' + ref);
  if (!row) return;
  row.scrollIntoView({block: 'center'});
  row.classList.add('flash');
  setTimeout(() => row.classList.remove('flash'), 1500);
}
function measurePage(id) {
  const m = MEA.get(id);
  if (!m) return notFound('measure', id);
  const d = DOC.get(m.document_id);
  setTitle(measureLabel(m));
  const amounts = AMT_BY_M.get(id) || [], targets = TGT_BY_M.get(id) || [], mas = MA_BY_M.get(id) || [];
  const marks = [
    ...placeMarks(m.text, targets, 'target', 'text', r => 'target: ' + r.indicator + ' ' + r.comparator + ' ' + fmtNum(r.value ?? r.min_value) + ' ' + r.unit + (r.year ? ' by ' + r.year : ''), r => r.target_id, false),
    ...placeMarks(m.text, amounts, 'amount', 'text', r => 'amount: ' + fmtCNY(r.max_cny) + ' (' + r.role + ', ' + r.qualifier + ')', r => r.amount_id, false),
    ...placeMarks(m.text, mas, 'agency', 'mention', r => r.role + ': ' + agencyName(r.agency_id), r => r.measure_id + '/' + r.clause + '/' + r.position, true),
  ];
  const chain = [];
  for (let p = m.parent_measure_id; p && MEA.get(p); p = MEA.get(p).parent_measure_id) chain.unshift(MEA.get(p));
  const siblings = M_BY_DOC.get(m.document_id) || [];
  const pos = siblings.indexOf(m);
  const prev = siblings[pos - 1], next = siblings[pos + 1];
  const text = h('div', {class: 'text', id: 'measure-text', lang: 'zh-CN'}, highlight(m.text, marks));
  text.addEventListener('click', e => { const mk = e.target.closest('mark'); if (mk) flash(mk.dataset.ref.split(' ')[0]); });
  const missing = kind => rows => rows.some(r => !r._found) ? h('span', {class: 'muted'}, ' (some not in the item text: ' + kind + ')') : null;
  main.append(h('section', {id: 'measure', 'data-id': id},
    h('div', {class: 'crumbs'}, h('a', {href: '#/'}, 'overview'), ' › ', h('a', {href: href('document', d.document_id)}, snippet(docLabel(d), 40)),
      chain.map(c => [' › ', h('a', {href: href('measure', c.measure_id)}, c.label || c.path)]), ' › ', m.label || m.path),
    h('h1', null, measureLabel(m)),
    meta([
      ['measure_id', h('code', null, m.measure_id)],
      ['document', h('a', {href: href('document', d.document_id), id: 'doc-link'}, docLabel(d))],
      ['path', m.path + ' (level ' + m.level + (m.is_leaf ? ', leaf' : '') + ')'],
      ['instrument', [instBadge(m), m.instrument_evidence ? h('span', {class: 'muted'}, ' cues: ' + m.instrument_evidence) : null]],
      ['deadline', m.deadline],
      ['source', [h('code', null, d.source_file), ', lines ' + m.line_start + '–' + m.line_end]],
    ]),
    legend([['sw-amount', plural(amounts.length, 'amounts')], ['sw-target', plural(targets.length, 'targets')], ['sw-agency', plural(mas.length, 'agency mentions')]]),
    text,
    h('h2', {id: 'amounts'}, 'Amounts'),
    miniTable(amounts, 'amounts', r => r.amount_id, ['amount_id', 'text', 'min_cny', 'max_cny', 'qualifier', 'period', 'per', 'role', 'line'],
      {max_cny: r => fmtCNY(r.max_cny), min_cny: r => fmtCNY(r.min_cny)}),
    missing('amounts')(amounts),
    h('h2', {id: 'targets'}, 'Targets'),
    miniTable(targets, 'targets', r => r.target_id, ['target_id', 'indicator', 'year', 'comparator', 'value', 'min_value', 'max_value', 'unit', 'change', 'text', 'line']),
    h('h2', {id: 'agencies'}, 'Agencies'),
    miniTable(mas, 'measure_agencies', r => r.measure_id + '/' + r.clause + '/' + r.position, ['clause', 'position', 'role', 'duty', 'mention', 'agency_id', 'line'],
      {agency_id: r => h('a', {href: href('agency', r.agency_id), class: 'agency-link'}, agencyName(r.agency_id)), role: r => roleBadge(r.role),
       mention: r => r._found ? r.mention : h('span', {title: 'named in a responsibility column, not in the item text'}, r.mention, h('span', {class: 'muted'}, ' ✱'))}),
    mas.some(r => !r._found) ? h('p', {class: 'muted'}, '✱ named in the responsibility column of a table row (or with a shared suffix expanded), not in the item text itself.') : null,
    CHILDREN.has(id) ? [h('h2', null, 'Sub-items'), h('ul', {class: 'outline'}, CHILDREN.get(id).map(c => h('li', null,
      h('a', {href: href('measure', c.measure_id)}, h('span', {class: 'lbl'}, c.label || c.path), c.heading || snippet(c.text, 60)), ' ', instBadge(c))))] : null,
    h('div', {class: 'pager'}, prev ? h('a', {href: href('measure', prev.measure_id)}, '← ' + snippet(measureLabel(prev), 30)) : h('span'),
      next ? h('a', {href: href('measure', next.measure_id)}, snippet(measureLabel(next), 30) + ' →') : h('span'))));
}
function miniTable(rows, name, key, names, custom) {
  if (!rows.length) return h('p', {class: 'muted'}, 'None.');
  const cols = names.map(n => T[name].columns.find(c => c.name === n));
  custom = custom || {};
  return h('div', {class: 'scroll'}, h('table', {class: 'mini', 'data-table': name},
    h('thead', null, h('tr', null, cols.map(c => h('th', {title: c.description}, c.name)))),
    h('tbody', null, rows.map(r => h('tr', {id: 'row-' + key(r)}, cols.map(c => custom[c.name] ? h('td', {class: c.name.endsWith('_cny') ? 'num' : null}, custom[c.name](r)) : cell(c, r[c.name])))))));
}

// ---- #/agency/ID -----------------------------------------------------------------------------
function lineage(id) {
  const seen = new Set([id]);
  const successors = [];
  for (let s = AG.get(id).successor_id; s && AG.has(s) && !seen.has(s); s = AG.get(s).successor_id) { seen.add(s); successors.push(AG.get(s)); }
  const predecessors = [];
  const queue = [id];
  while (queue.length) {
    for (const p of PREDECESSORS.get(queue.shift()) || []) {
      if (seen.has(p.agency_id)) continue;
      seen.add(p.agency_id);
      predecessors.push(p);
      queue.push(p.agency_id);
    }
  }
  return {successors, predecessors};
}
function agencyPage(id) {
  const a = AG.get(id);
  if (!a) return notFound('agency', id);
  setTitle(a.name);
  const {successors, predecessors} = lineage(id);
  const bodies = [a, ...predecessors, ...successors];
  const roles = {lead: new Map(), support: new Map(), responsible: new Map()};
  for (const b of bodies) {
    for (const ma of MA_BY_AG.get(b.agency_id) || []) {
      const byMeasure = roles[ma.role];
      if (!byMeasure.has(ma.measure_id)) byMeasure.set(ma.measure_id, {measure: MEA.get(ma.measure_id), rows: []});
      byMeasure.get(ma.measure_id).rows.push({...ma, body: b});
    }
  }
  const own = new Set((MA_BY_AG.get(id) || []).map(x => x.measure_id));
  const ledIds = new Set([...roles.lead.keys(), ...roles.responsible.keys()]);
  const money = R.amounts.filter(x => setAside(x) && ledIds.has(x.measure_id));
  const section = (role, title) => {
    const entries = [...roles[role].values()].sort((x, y) => compare(x.measure.measure_id, y.measure.measure_id));
    return [h('h2', {id: 'role-' + role}, title + ' ', h('span', {class: 'muted'}, '(' + entries.length + ')')),
      entries.length ? h('div', {class: 'scroll'}, h('table', {class: 'mini', 'data-role': role},
        h('thead', null, h('tr', null, ['item', 'instrument', 'document', 'named as', 'line'].map(x => h('th', null, x)))),
        h('tbody', null, entries.map(({measure, rows}) => {
          const doc = DOC.get(measure.document_id);
          const via = [...new Set(rows.filter(r => r.body.agency_id !== id).map(r => r.body.agency_id))];
          return h('tr', {'data-measure': measure.measure_id},
            h('td', null, h('a', {href: href('measure', measure.measure_id)}, measureLabel(measure))),
            h('td', null, instBadge(measure)),
            h('td', null, h('a', {href: href('document', doc.document_id), title: doc.title}, snippet(doc.title, 22))),
            h('td', null, [...new Set(rows.map(r => r.mention))].join('、'),
              via.length ? h('div', {class: 'muted'}, 'as ', via.map(v => h('a', {href: href('agency', v)}, agencyName(v)))) : null),
            h('td', {class: 'num'}, [...new Set(rows.map(r => r.line))].join(', ')));
        })))) : h('p', {class: 'muted'}, 'None.')];
  };
  main.append(h('section', {id: 'agency', 'data-id': id},
    h('div', {class: 'crumbs'}, h('a', {href: '#/'}, 'overview'), ' › ', h('a', {href: '#/table/agencies'}, 'agencies'), ' › ', a.name),
    h('h1', null, a.name),
    successors.length ? h('p', {class: 'lineage', id: 'became'}, 'became ', successors.map((x, i) => [i ? ' → ' : '', h('a', {href: href('agency', x.agency_id)}, x.name)]), h('span', {class: 'muted'}, ' (reorganisation)')) : null,
    predecessors.length ? h('p', {class: 'lineage', id: 'formerly'}, 'formerly ', predecessors.map((x, i) => [i ? '、' : '', h('a', {href: href('agency', x.agency_id)}, x.name)])) : null,
    meta([
      ['agency_id', h('code', null, a.agency_id)], ['short names', a.short_names ? a.short_names.split('|').join('、') : null],
      ['level', a.level], ['jurisdiction', a.jurisdiction], ['in registry', a.in_registry ? 'yes' : 'no (inferred from the name)'],
      ['named in', `${own.size} items under this name` + (bodies.length > 1 ? `; the lists below include its ${predecessors.length ? 'predecessors' : ''}${predecessors.length && successors.length ? ' and ' : ''}${successors.length ? 'successors' : ''}` : '')],
      ['money set aside', money.length ? fmtCNY(sum(money, 'max_cny')) + ' in ' + money.length + ' amounts of the items it leads or is responsible for' : null],
    ]),
    h('p', {id: 'agency-summary'}, roleBadge('lead'), ` ${roles.lead.size} items · `, roleBadge('support'), ` ${roles.support.size} items · `,
      roleBadge('responsible'), ` ${roles.responsible.size} items`),
    section('lead', 'Leads'),
    section('support', 'Supports'),
    section('responsible', 'Responsible (no lead rule stated)')));
}

// ---- router ---------------------------------------------------------------------------------
function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const [kind, ...rest] = path.split('/');
  const id = decodeURIComponent(rest.join('/'));
  main.replaceChildren();
  main.className = '';
  for (const a of document.querySelectorAll('#nav a')) {
    const nav = a.dataset.nav;
    a.classList.toggle('active', kind === 'table' ? nav === id : kind === '' && nav === '');
  }
  if (kind === '') overview();
  else if (kind === 'table') tableView(id, params);
  else if (kind === 'document') documentPage(id);
  else if (kind === 'measure') measurePage(id);
  else if (kind === 'agency') agencyPage(id);
  else notFound();
  window.scrollTo(0, 0);
}
window.addEventListener('hashchange', route);
route();
})();
