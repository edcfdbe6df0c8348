/**
 * The report page's script, inlined into the page (no network): it reads the ReportData JSON
 * (build-report-data.ts) and draws the long tables a page at a time, with a filter, sorting and paging.
 * Plain ES2020 for any current browser; written without template literals so it can live in this string.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var res = data.res, ents = data.ents, types = data.types;
  var collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  var ENT = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ENT[c]; }); }
  function fmt(n) { return n.toLocaleString('en-US'); }
  function kind(i) { var t = types[res.t[i]]; return t ? t.kind : 'other'; }
  function label(slug) {
    if (data.labels[slug]) return data.labels[slug];
    return slug.charAt(0).toUpperCase() + slug.slice(1) + ' holders';
  }
  function status(i) { return res.x[i] ? 'inactive' : 'active'; }
  function statusCell(i) { return res.x[i] ? '<span class="tag tag-inactive">inactive</span>' : 'active'; }

  // Principals per entitlement (delta-decoded), then who belongs where.
  var principals = data.g.map(function (d) {
    var out = new Array(d.length), v = 0;
    for (var i = 0; i < d.length; i++) { v += d[i]; out[i] = v; }
    return out;
  });
  var n = res.n.length;
  var membersOf = {}, privOf = {}, holdersOf = {};
  var groupsOfPerson = [], rolesOfPerson = [], privOfPerson = [];
  for (var k = 0; k < n; k++) { groupsOfPerson.push(null); rolesOfPerson.push(null); privOfPerson.push(null); }
  function push(arr, i, v) { (arr[i] || (arr[i] = [])).push(v); }
  var slugs = {};
  principals.forEach(function (list, e) {
    var owner = ents.r[e];
    if (owner < 0) return;
    var ok = kind(owner), priv = ents.p[e] === 1;
    if (ok === 'group' && !priv) {
      var m = membersOf[owner] || (membersOf[owner] = []);
      list.forEach(function (p) { m.push(p); push(groupsOfPerson, p, owner); });
    } else if (ok === 'group' && priv) {
      slugs[ents.s[e]] = true;
      (privOf[owner] || (privOf[owner] = {}))[ents.s[e]] = list;
      list.forEach(function (p) { push(privOfPerson, p, ents.n[e]); });
    } else if (ok === 'role') {
      var h = holdersOf[owner] || (holdersOf[owner] = []);
      list.forEach(function (p) { h.push(p); push(rolesOfPerson, p, owner); });
    }
  });
  Object.keys(membersOf).forEach(function (g) { membersOf[g] = uniqueSorted(membersOf[g]); });
  function uniqueSorted(a) {
    a.sort(function (x, y) { return x - y; });
    return a.filter(function (v, i) { return i === 0 || a[i - 1] !== v; });
  }
  var privSlugs = Object.keys(slugs).sort();
  var all = [];
  for (var j = 0; j < n; j++) all.push(j);
  var people = all.filter(function (i) { return kind(i) === 'user'; });
  var groups = all.filter(function (i) { return kind(i) === 'group'; });

  function names(list, max) {
    var shown = list.slice(0, max).map(function (p) {
      return esc(res.n[p]) + (res.x[p] ? ' <span class="tag tag-inactive">inactive</span>' : '');
    });
    if (list.length > max) shown.push('<em>and ' + fmt(list.length - max) + ' more</em>');
    return shown.join(', ');
  }
  function memberList(list) {
    if (list.length === 0) return '0';
    return '<details data-members="1"><summary>' + fmt(list.length) + '</summary><div class="members"></div></details>';
  }

  // A table drawn one page at a time: filter (case-insensitive substring), sortable columns, pager.
  function table(hostId, spec) {
    var host = document.getElementById(hostId);
    if (!host) return;
    var id = hostId;
    var keys = spec.rows.map(function (r) { return spec.filterText(r).toLowerCase(); });
    var state = { q: '', col: -1, dir: 1, page: 0, size: spec.pageSize || 25, rows: spec.rows.map(function (r, i) { return i; }) };
    var html = '<div class="controls"><label for="' + id + '-filter">' + esc(spec.filterLabel) + '</label> ' +
      '<input type="search" id="' + id + '-filter" autocomplete="off"> ' +
      '<label for="' + id + '-size">Rows per page</label> <select id="' + id + '-size">' +
      [10, 25, 50, 100, 500].map(function (s) { return '<option' + (s === state.size ? ' selected' : '') + '>' + s + '</option>'; }).join('') +
      '</select></div><table id="' + id + '-table"><caption>' + esc(spec.caption) + '</caption><thead><tr>' +
      spec.columns.map(function (c, i) {
        return '<th scope="col"' + (c.num ? ' class="num"' : '') + '>' + (c.sort === false ? esc(c.label) :
          '<button type="button" data-col="' + i + '">' + esc(c.label) + '</button>') + '</th>';
      }).join('') + '</tr></thead><tbody></tbody></table>' +
      '<div class="pager"><button type="button" data-page="-1">Previous page</button> <span class="pager-status" aria-live="polite"></span> ' +
      '<button type="button" data-page="1">Next page</button></div>';
    host.innerHTML = html;
    var tbody = host.querySelector('tbody');
    var statusEl = host.querySelector('.pager-status');
    function apply() {
      var q = state.q;
      var rows = [];
      for (var i = 0; i < keys.length; i++) if (q === '' || keys[i].indexOf(q) >= 0) rows.push(i);
      if (state.col >= 0) {
        var get = spec.columns[state.col].value, dir = state.dir;
        var vals = rows.map(function (i) { return get(spec.rows[i]); });
        var order = rows.map(function (r, i) { return i; });
        order.sort(function (a, b) {
          var x = vals[a], y = vals[b];
          var c = typeof x === 'number' ? x - y : collator.compare(x, y);
          return c * dir || a - b;
        });
        rows = order.map(function (i) { return rows[i]; });
      }
      state.rows = rows;
      state.page = 0;
      draw();
    }
    function draw() {
      var total = state.rows.length;
      var pages = Math.max(1, Math.ceil(total / state.size));
      if (state.page >= pages) state.page = pages - 1;
      var start = state.page * state.size;
      var slice = state.rows.slice(start, start + state.size);
      tbody.innerHTML = slice.length === 0 ? '<tr><td colspan="' + spec.columns.length + '">No rows match.</td></tr>' :
        slice.map(function (i) {
          var r = spec.rows[i];
          return '<tr data-row="' + r + '">' + spec.columns.map(function (c, ci) {
            var cell = c.cell ? c.cell(r) : esc(c.value(r));
            return ci === 0 ? '<th scope="row">' + cell + '</th>' : '<td' + (c.num ? ' class="num"' : '') + '>' + cell + '</td>';
          }).join('') + '</tr>';
        }).join('');
      statusEl.textContent = total === 0 ? 'No rows' :
        'Rows ' + fmt(start + 1) + '\u2013' + fmt(Math.min(total, start + state.size)) + ' of ' + fmt(total) +
        (total < spec.rows.length ? ' (filtered from ' + fmt(spec.rows.length) + ')' : '');
      host.querySelector('[data-page="-1"]').disabled = state.page === 0;
      host.querySelector('[data-page="1"]').disabled = state.page >= pages - 1;
    }
    var timer = 0;
    host.querySelector('input').addEventListener('input', function (ev) {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = ev.target.value.trim().toLowerCase(); apply(); }, 120);
    });
    host.querySelector('select').addEventListener('change', function (ev) { state.size = Number(ev.target.value); draw(); });
    host.querySelector('thead').addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-col]');
      if (!b) return;
      var col = Number(b.getAttribute('data-col'));
      state.dir = state.col === col ? -state.dir : 1;
      state.col = col;
      host.querySelectorAll('th').forEach(function (th) { th.removeAttribute('aria-sort'); });
      b.parentNode.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
      apply();
    });
    host.querySelector('.pager').addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-page]');
      if (!b) return;
      state.page += Number(b.getAttribute('data-page'));
      draw();
    });
    // Member lists are filled in when opened: a page of large groups stays light.
    tbody.addEventListener('toggle', function (ev) {
      var d = ev.target;
      if (!d.open || d.getAttribute('data-members') !== '1' || d.getAttribute('data-filled')) return;
      var row = Number(d.closest('tr').getAttribute('data-row'));
      d.querySelector('.members').innerHTML = names(spec.members(row), 2000);
      d.setAttribute('data-filled', '1');
    }, true);
    draw();
  }

  var privColumns = privSlugs.map(function (s) {
    return {
      label: label(s),
      value: function (g) { return ((privOf[g] || {})[s] || []).length; },
      cell: function (g) { var l = (privOf[g] || {})[s] || []; return l.length ? names(l, 10) : '<span class="tag tag-risk">none</span>'; },
    };
  });
  var nameCol = function (lbl) { return { label: lbl, value: function (i) { return res.n[i]; } }; };
  var statusCol = { label: 'Status', value: status, cell: statusCell };
  table('group-privileged-table', {
    caption: 'Groups and who holds their privileged entitlements',
    filterLabel: 'Filter groups',
    rows: groups.filter(function (g) { return privOf[g]; }),
    filterText: function (g) { return res.n[g]; },
    columns: [nameCol('Group')].concat(privColumns),
  });
  table('groups-table', {
    caption: 'Every group with its members',
    filterLabel: 'Filter groups',
    rows: groups,
    filterText: function (g) { return res.n[g]; },
    members: function (g) { return membersOf[g] || []; },
    columns: [nameCol('Group'), statusCol,
      { label: 'Members', num: true, value: function (g) { return (membersOf[g] || []).length; }, cell: function (g) { return memberList(membersOf[g] || []); } },
    ].concat(privColumns),
  });
  function roleNames(p) { return (rolesOfPerson[p] || []).map(function (r) { return res.n[r]; }); }
  table('people-table', {
    caption: 'Every person with their groups and roles',
    filterLabel: 'Filter people (name, login or role)',
    rows: people,
    filterText: function (p) { return res.n[p] + ' ' + res.l[p] + ' ' + roleNames(p).join(' '); },
    columns: [nameCol('Person'),
      { label: 'Login', value: function (p) { return res.l[p]; } },
      statusCol,
      { label: 'Groups', num: true, value: function (p) { return (groupsOfPerson[p] || []).length; } },
      { label: 'Group names', sort: false, value: function () { return ''; }, cell: function (p) { return names(groupsOfPerson[p] || [], 8); } },
      { label: 'Roles', value: function (p) { return roleNames(p).join(', '); }, cell: function (p) { return esc(roleNames(p).join(', ')); } },
      { label: 'Privileged entitlements', value: function (p) { return (privOfPerson[p] || []).join(', '); } },
    ],
  });
  function accessOf(p) {
    var parts = [];
    var g = (groupsOfPerson[p] || []).length, r = (rolesOfPerson[p] || []).length, v = (privOfPerson[p] || []).length;
    if (g) parts.push(fmt(g) + ' group' + (g === 1 ? '' : 's'));
    if (r) parts.push(fmt(r) + ' role' + (r === 1 ? '' : 's'));
    if (v) parts.push(fmt(v) + ' privileged');
    return parts.join(', ') || 'other grants';
  }
  table('risk-inactive', {
    caption: 'Inactive people who still hold access',
    filterLabel: 'Filter people',
    rows: data.risks.inactiveWithAccess,
    filterText: function (p) { return res.n[p] + ' ' + res.l[p]; },
    columns: [nameCol('Person'), { label: 'Login', value: function (p) { return res.l[p]; } },
      { label: 'Still holds', value: accessOf },
      { label: 'Roles', value: function (p) { return roleNames(p).join(', '); } },
      { label: 'Privileged entitlements', value: function (p) { return (privOfPerson[p] || []).join(', '); } }],
    pageSize: 10,
  });
  table('risk-unprivileged-groups', {
    caption: 'Groups where nobody holds a privileged entitlement',
    filterLabel: 'Filter groups',
    rows: data.risks.groupsWithoutPrivileged,
    filterText: function (g) { return res.n[g]; },
    columns: [nameCol('Group'), statusCol, { label: 'Members', num: true, value: function (g) { return (membersOf[g] || []).length; } }],
    pageSize: 10,
  });
  table('risk-single-holder', {
    caption: 'Roles held by one person only',
    filterLabel: 'Filter roles',
    rows: data.risks.rolesWithOneHolder,
    filterText: function (r) { return res.n[r]; },
    columns: [nameCol('Role'), { label: 'Holder', value: function (r) { var h = holdersOf[r] || []; return h.length ? res.n[h[0]] : ''; }, cell: function (r) { return names(holdersOf[r] || [], 1); } }],
    pageSize: 10,
  });
  table('risk-no-group', {
    caption: 'People in no group',
    filterLabel: 'Filter people',
    rows: data.risks.peopleInNoGroup,
    filterText: function (p) { return res.n[p] + ' ' + res.l[p]; },
    columns: [nameCol('Person'), { label: 'Login', value: function (p) { return res.l[p]; } }, statusCol,
      { label: 'Roles', value: function (p) { return roleNames(p).join(', '); } }],
    pageSize: 10,
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
`;
