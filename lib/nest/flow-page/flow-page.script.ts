/**
 * @internal The flow page's script, inline in the page: fetch `<base>/flow.json` every
 * `refreshInterval` ms, lay the graph out in three columns (what the applications publish, the
 * topics on each bus, the handlers grouped by application) and draw it in SVG; fill the tables.
 * Plain browser JavaScript, built with the DOM API and `textContent` only, so a topic or class
 * name can never inject markup.
 */
export const FLOW_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('flow-config').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var NODE_W = 290, NODE_H = 60, GAP = 10, COL_GAP = 120, GROUP_PAD = 22, TOP = 34;
  var previous = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function truncate(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }
  function stats(c) {
    if (!c) return 'not counted';
    return c.rate + '/s · ' + c.events + ' events · ' + c.errors + ' errors · backlog ' + c.backlog;
  }
  function appName(data, id) {
    for (var i = 0; i < data.apps.length; i++) if (data.apps[i].id === id) return data.apps[i].name;
    return id;
  }
  function busLabel(data, key) {
    for (var i = 0; i < data.graph.buses.length; i++) {
      if (data.graph.buses[i].key === key) return data.graph.buses[i].label;
    }
    return key;
  }

  /** Group nodes of one kind by a key, keeping first-seen order. */
  function groups(nodes, kind, keyOf) {
    var order = [], by = {};
    nodes.forEach(function (n) {
      if (n.kind !== kind) return;
      var key = keyOf(n);
      if (!by[key]) { by[key] = []; order.push(key); }
      by[key].push(n);
    });
    return order.map(function (key) { return { key: key, nodes: by[key] }; });
  }

  function drawDiagram(data) {
    var root = document.getElementById('diagram');
    while (root.firstChild) root.removeChild(root.firstChild);
    var columns = [
      { title: 'Publishes', groups: groups(data.graph.nodes, 'publication', function (n) { return n.app; }), name: function (k) { return appName(data, k); } },
      { title: 'Topics', groups: groups(data.graph.nodes, 'topic', function (n) { return n.bus; }), name: function (k) { return busLabel(data, k); } },
      { title: 'Handlers', groups: groups(data.graph.nodes, 'handler', function (n) { return n.app; }), name: function (k) { return appName(data, k); } },
    ];
    var pos = {}, height = TOP;
    var edgeLayer = svg('g');
    root.appendChild(edgeLayer);
    columns.forEach(function (column, c) {
      var x = 20 + c * (NODE_W + COL_GAP), y = TOP;
      root.appendChild(svg('text', { x: x, y: 18, class: 'col-title' }, column.title));
      column.groups.forEach(function (group) {
        var top = y;
        y += GROUP_PAD;
        group.nodes.forEach(function (n) {
          pos[n.id] = { x: x, y: y };
          drawNode(root, n, x, y);
          y += NODE_H + GAP;
        });
        root.appendChild(svg('rect', { x: x - 8, y: top, width: NODE_W + 16, height: y - top, rx: 8, class: 'group' }));
        root.appendChild(svg('text', { x: x - 2, y: top + 15, class: 'group-title' }, column.name(group.key)));
        y += 14;
      });
      if (column.groups.length === 0) {
        root.appendChild(svg('text', { x: x, y: TOP + 16, class: 'group-title' }, c === 0 ? 'nothing published yet' : 'none'));
      }
      height = Math.max(height, y);
    });
    data.graph.edges.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!a || !b) return;
      var d;
      if (e.matches) {
        var sx = a.x + NODE_W, sy = a.y + NODE_H / 2, ty = b.y + NODE_H / 2;
        d = 'M' + sx + ',' + sy + ' C' + (sx + 50) + ',' + sy + ' ' + (sx + 50) + ',' + ty + ' ' + sx + ',' + ty;
      } else {
        var x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2, mid = (x1 + x2) / 2;
        d = 'M' + x1 + ',' + y1 + ' C' + mid + ',' + y1 + ' ' + mid + ',' + y2 + ' ' + x2 + ',' + y2;
      }
      edgeLayer.appendChild(svg('path', { d: d, class: 'edge' + (e.matches ? ' matches' : ''), 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to }));
    });
    var defs = svg('defs');
    var marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#98a2b3' }));
    defs.appendChild(marker);
    root.insertBefore(defs, root.firstChild);
    root.setAttribute('width', 40 + 3 * NODE_W + 2 * COL_GAP);
    root.setAttribute('height', height + 10);
  }

  function drawNode(root, n, x, y) {
    var c = n.counters;
    var moved = c && previous[n.id] !== undefined && previous[n.id] !== c.events;
    var cls = 'node ' + n.kind + (c && c.errors > 0 ? ' failing' : '') + (moved ? ' busy' : '');
    var g = svg('g', { class: cls, 'data-id': n.id, 'data-kind': n.kind, 'data-label': n.label,
      'data-events': c ? c.events : '', 'data-errors': c ? c.errors : '' });
    g.appendChild(svg('rect', { x: x, y: y, width: NODE_W, height: NODE_H }));
    var second = [n.detail, n.messageType].filter(Boolean).join(' · ');
    g.appendChild(svg('text', { x: x + 10, y: y + 18, class: 'label' }, truncate(n.label, 40)));
    g.appendChild(svg('text', { x: x + 10, y: y + 34, class: 'detail' }, truncate(second, 46)));
    g.appendChild(svg('text', { x: x + 10, y: y + 50, class: 'stats' }, stats(c)));
    g.appendChild(svg('title', {}, n.label + (second ? '\n' + second : '') + '\n' + stats(c)));
    root.appendChild(g);
    if (c) previous[n.id] = c.events;
  }

  function fillTable(id, head, rows) {
    var table = document.getElementById(id);
    while (table.firstChild) table.removeChild(table.firstChild);
    var tr = el('tr');
    head.forEach(function (h, i) { tr.appendChild(el('th', { class: i > 1 ? 'num' : '' }, h)); });
    table.appendChild(tr);
    rows.forEach(function (row) {
      var r = el('tr', row.attrs);
      row.cells.forEach(function (cell, i) {
        r.appendChild(el('td', { class: (i > 1 ? 'num' : '') + (i === 4 && cell > 0 ? ' err' : '') }, String(cell)));
      });
      table.appendChild(r);
    });
    if (rows.length === 0) {
      var empty = el('tr');
      empty.appendChild(el('td', { colspan: head.length, class: 'muted' }, 'none'));
      table.appendChild(empty);
    }
  }

  function counterCells(c) {
    return c ? [c.rate, c.events, c.errors, c.backlog] : ['', '', '', ''];
  }

  function drawTables(data) {
    var topics = data.graph.nodes.filter(function (n) { return n.kind === 'topic'; });
    fillTable('topics', ['Topic', 'Bus', 'Events/s', 'Events', 'Errors', 'Backlog'], topics.map(function (n) {
      return { attrs: { 'data-topic': n.label, 'data-events': n.counters ? n.counters.events : 0 },
        cells: [n.label, busLabel(data, n.bus)].concat(counterCells(n.counters)) };
    }));
    var handlers = data.graph.nodes.filter(function (n) { return n.kind === 'handler'; });
    fillTable('handlers', ['Handler', 'Application', 'Events/s', 'Events', 'Errors', 'Backlog'], handlers.map(function (n) {
      return { attrs: { 'data-handler': n.label, 'data-events': n.counters ? n.counters.events : 0 },
        cells: [n.label, appName(data, n.app)].concat(counterCells(n.counters)) };
    }));
  }

  function drawApps(data) {
    var root = document.getElementById('apps');
    while (root.firstChild) root.removeChild(root.firstChild);
    data.apps.forEach(function (app) {
      var box = el('div', { class: 'app', 'data-app': app.name });
      var title = el('h3', {}, app.name);
      if (app.id === data.self) title.appendChild(el('span', { class: 'self' }, 'serves this page'));
      box.appendChild(title);
      app.transports.forEach(function (t) {
        var roles = [t.publishes ? 'publishes' : '', t.subscribes ? 'subscribes' : ''].filter(Boolean).join(' and ');
        box.appendChild(el('div', { class: 'muted' }, t.name + ': ' + roles + ' on ' + t.bus.label));
      });
      box.appendChild(el('div', { class: 'muted' }, app.handlers.length + ' handler(s), ' + app.publications.length + ' published topic(s)'));
      root.appendChild(box);
    });
  }

  function drawMessages(data) {
    var root = document.getElementById('messages');
    var seen = {};
    var list = [];
    data.apps.forEach(function (app) {
      app.messages.forEach(function (m) { if (!seen[m.name]) { seen[m.name] = true; list.push(m); } });
    });
    var open = {};
    root.querySelectorAll('details[open]').forEach(function (d) { open[d.getAttribute('data-message')] = true; });
    while (root.firstChild) root.removeChild(root.firstChild);
    if (list.length === 0) root.appendChild(el('div', { class: 'muted' }, 'none seen yet'));
    list.forEach(function (m) {
      var d = el('details', { 'data-message': m.name });
      if (open[m.name]) d.setAttribute('open', '');
      d.appendChild(el('summary', {}, m.name));
      var cols = el('div', { class: 'columns' });
      var schema = el('div'); schema.appendChild(el('div', { class: 'muted' }, 'Schema'));
      schema.appendChild(el('pre', {}, m.schema === undefined ? 'unknown' : JSON.stringify(m.schema, null, 2)));
      var example = el('div'); example.appendChild(el('div', { class: 'muted' }, 'Example'));
      example.appendChild(el('pre', {}, m.example === undefined ? 'none' : JSON.stringify(m.example, null, 2)));
      cols.appendChild(schema); cols.appendChild(example); d.appendChild(cols);
      root.appendChild(d);
    });
  }

  function drawDownloads(data) {
    var nav = document.getElementById('downloads');
    while (nav.firstChild) nav.removeChild(nav.firstChild);
    (data.downloads || []).forEach(function (link) {
      nav.appendChild(el('a', { href: link.href, download: '' }, link.label));
    });
    nav.appendChild(el('a', { href: config.base + '/flow.json' }, 'flow.json'));
  }

  function refresh() {
    var status = document.getElementById('status');
    fetch(config.base + '/flow.json', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (data) {
        drawApps(data); drawDiagram(data); drawTables(data); drawMessages(data); drawDownloads(data);
        status.className = 'status';
        status.textContent = 'live · updated ' + new Date(data.generatedAt).toLocaleTimeString();
        document.body.setAttribute('data-updated', data.generatedAt);
      })
      .catch(function (error) {
        status.className = 'status down';
        status.textContent = 'cannot reach the application (' + error.message + '); retrying';
      })
      .then(function () { setTimeout(refresh, config.refreshInterval); });
  }
  refresh();
})();
`;
