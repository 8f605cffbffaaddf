/*
 * The Analytics view of the live console: the figures of GET /api/v1/analytics/summary, /timeseries and /breakdown
 * (docs/analytics.md) drawn with uPlot (a WebJar, /webjars/uplot/), refreshed when the merchant topic says that
 * tickets, SLA clocks or surveys changed. console.js tells this file about the connection (helpdesk:* events).
 */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };

  var RANGES = { '24h': { hours: 24, groupBy: 'hour' }, '7d': { days: 7, groupBy: 'day' }, '30d': { days: 30, groupBy: 'day' } };
  var PERIOD_SECONDS = { hour: 3600, day: 86400, week: 7 * 86400, month: 30 * 86400 };
  var QUARTER_HOUR = 15 * 60 * 1000; // the API takes instants on quarter hours only
  var MIN_INTERVAL = 2000; // at most one refresh every 2 s
  // A change is counted a few seconds after it happened (one analytics job per merchant and 2-second slice, picked up
  // by polling): after the last frame, look again a few times.
  var FOLLOW_UPS = [2000, 5000, 10000, 20000, 30000];
  // frames of changes that analytics counts (sla.warning, context enrichment and notifications count for nothing)
  var COUNTED = /^(ticket\.(created|status_changed|assigned|unassigned|priority_changed|message\.created|escalated)|sla\.breached|survey\.answered)$/;

  var COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000];
  var DURATION_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800,
    345600, 604800, 1209600, 2592000, 5184000];
  var SHARE_INCRS = [0.05, 0.1, 0.2, 0.25, 0.5];

  var CHARTS = [
    { name: 'volume', kind: 'count', series: [
      { metric: 'ticketsCreated', label: 'Created', stroke: '#2563eb' },
      { metric: 'ticketsResolved', label: 'Resolved', stroke: '#16a34a' }] },
    { name: 'firstResponse', kind: 'duration', series: [
      { metric: 'firstResponseSeconds.median', label: 'Median', stroke: '#7c3aed' },
      { metric: 'firstResponseSeconds.p90', label: 'p90', stroke: '#c026d3', dash: [6, 4] }] },
    { name: 'resolution', kind: 'duration', series: [
      { metric: 'resolutionSeconds.median', label: 'Median', stroke: '#ea580c' },
      { metric: 'resolutionSeconds.p90', label: 'p90', stroke: '#dc2626', dash: [6, 4] }] },
    { name: 'sla', kind: 'share', series: [
      { met: 'sla.firstResponse.met', breached: 'sla.firstResponse.breached', label: 'First response met', stroke: '#0891b2' },
      { met: 'sla.resolution.met', breached: 'sla.resolution.breached', label: 'Resolution met', stroke: '#ca8a04' }] },
    { name: 'csat', kind: 'csat', series: [
      { metric: 'csat.average', label: 'Average score', stroke: '#db2777', scale: 'score', format: score },
      { metric: 'csat.satisfiedShare', label: 'Satisfied (4–5)', stroke: '#059669', scale: 'share', format: percent }] }
  ];

  var session = null; // { apiKey, merchantId, agentId }
  var names = {}; // agent id -> name
  var charts = {}; // chart name -> uPlot
  var lastBreakdown = null;
  var loaded = false;
  var loading = null;
  var loadAgain = false;
  var lastStart = 0;
  var lastFrameAt = 0;
  var pendingSince = 0;
  var followStep = FOLLOW_UPS.length;
  var timer = null;

  // ---- formatting

  function round(value) { return Number(value.toFixed(Math.abs(value) < 10 ? 1 : 0)); }

  function duration(seconds) {
    if (seconds == null) return '–';
    if (seconds < 60) return round(seconds) + ' s';
    if (seconds < 3600) return round(seconds / 60) + ' min';
    if (seconds < 86400) return round(seconds / 3600) + ' h';
    return round(seconds / 86400) + ' d';
  }

  function percent(share) { return share == null ? '–' : Math.round(share * 100) + ' %'; }

  function score(value) { return value == null ? '–' : String(Number(value.toFixed(2))); }

  function count(value) { return value == null ? '–' : String(value); }

  function share(met, breached) { return met + breached > 0 ? met / (met + breached) : null; }

  var FORMATS = { count: count, duration: duration, share: percent };

  function startLabel(seconds, zone, groupBy) {
    var options = groupBy === 'hour' ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
      : groupBy === 'month' ? { year: 'numeric', month: 'long' } : { weekday: 'short', month: 'short', day: 'numeric' };
    options.timeZone = zone;
    var text = new Intl.DateTimeFormat(undefined, options).format(new Date(seconds * 1000));
    return groupBy === 'week' ? 'week of ' + text : text;
  }

  // ---- the range asked for

  function validZone(zone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch (e) {
      return false;
    }
  }

  function isoInstant(millis) { return new Date(millis).toISOString().replace('.000Z', 'Z'); }

  /** Today in the zone, as the UTC midnight of that date. */
  function localToday(now, zone) {
    var parts = {};
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(new Date(now)).forEach(function (part) { parts[part.type] = parseInt(part.value, 10); });
    return Date.UTC(parts.year, parts.month - 1, parts.day);
  }

  function isoDate(utcMidnight, days) { return new Date(utcMidnight + days * 86400000).toISOString().substring(0, 10); }

  /** The first local full hour of the zone at or after the instant (offsets are whole quarter hours). */
  function localHourCeiling(millis, zone) {
    var minute = new Intl.DateTimeFormat('en-US', { timeZone: zone, minute: 'numeric' });
    var instant = Math.ceil(millis / QUARTER_HOUR) * QUARTER_HOUR;
    for (var i = 0; i < 4 && parseInt(minute.format(new Date(instant)), 10) !== 0; i++) instant += QUARTER_HOUR;
    return instant;
  }

  /** The last 24 hours up to the end of the current local hour; the last 7 or 30 days as local dates (today included). */
  function range(key, zone, now) {
    var chosen = RANGES[key];
    if (chosen.hours) {
      var to = localHourCeiling(now + 1, zone);
      return { from: isoInstant(to - chosen.hours * 3600000), to: isoInstant(to) };
    }
    var today = localToday(now, zone);
    return { from: isoDate(today, -(chosen.days - 1)), to: isoDate(today, 1) };
  }

  // ---- HTTP

  function problemText(problem, status) {
    var text = (problem && (problem.detail || problem.title)) || ('HTTP ' + status);
    if (problem && problem.errors && problem.errors.length) {
      text += ' (' + problem.errors.map(function (e) { return e.field + ': ' + e.message; }).join('; ') + ')';
    }
    return text;
  }

  function get(path, params) {
    return fetch(path + '?' + new URLSearchParams(params), {
      headers: { Authorization: 'Bearer ' + session.apiKey, Accept: 'application/json, application/problem+json' }
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!response.ok) {
          var error = new Error(path + ': ' + problemText(body, response.status));
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  // ---- drawing

  function metricsOf(chart) {
    var metrics = [];
    chart.series.forEach(function (s) {
      (s.metric ? [s.metric] : [s.met, s.breached]).forEach(function (m) { if (metrics.indexOf(m) < 0) metrics.push(m); });
    });
    return metrics;
  }

  function seriesData(chart, answers) {
    var any = answers[metricsOf(chart)[0]];
    var xs = any.points.map(function (p) { return Date.parse(p.start) / 1000; });
    var data = [xs];
    chart.series.forEach(function (s) {
      if (s.metric) {
        data.push(answers[s.metric].points.map(function (p) { return p.value; }));
      } else {
        var met = answers[s.met].points;
        var breached = answers[s.breached].points;
        data.push(met.map(function (p, i) { return share(p.value || 0, breached[i].value || 0); }));
      }
    });
    return data;
  }

  function yRange(kind) {
    if (kind === 'share') return function () { return [0, 1]; };
    return function (u, min, max) {
      var floor = kind === 'duration' ? 60 : 1;
      return [0, max > 0 ? Math.max(floor, max * 1.15) : floor];
    };
  }

  function options(chart, width, zone, groupBy, points) {
    var format = FORMATS[chart.kind];
    var half = PERIOD_SECONDS[groupBy] / 2;
    var series = [{ label: 'Start', value: function (u, ts) { return ts == null ? '–' : startLabel(ts, zone, groupBy); } }];
    chart.series.forEach(function (s) {
      var f = s.format || format;
      series.push({ label: s.label, stroke: s.stroke, width: 2, dash: s.dash, scale: s.scale || 'y', spanGaps: false,
        points: { show: points <= 62, size: 6, fill: s.stroke }, value: function (u, v) { return f(v); } });
    });
    var scales = { x: { time: true, range: function (u, min, max) { return min === max ? [min - half, max + half] : [min, max]; } } };
    var axes = [{ stroke: '#6b7785', grid: { stroke: '#eef1f4' } }];
    if (chart.kind === 'csat') {
      scales.score = { range: function () { return [1, 5]; } };
      scales.share = { range: function () { return [0, 1]; } };
      axes.push({ scale: 'score', stroke: '#6b7785', grid: { stroke: '#eef1f4' }, incrs: [0.5, 1], values: function (u, splits) { return splits.map(score); } });
      axes.push({ scale: 'share', side: 1, stroke: '#6b7785', grid: { show: false }, incrs: SHARE_INCRS, values: function (u, splits) { return splits.map(percent); } });
    } else {
      scales.y = { range: yRange(chart.kind) };
      axes.push({ stroke: '#6b7785', grid: { stroke: '#eef1f4' }, size: 60,
        incrs: chart.kind === 'count' ? COUNT_INCRS : chart.kind === 'duration' ? DURATION_INCRS : SHARE_INCRS,
        values: function (u, splits) { return splits.map(format); } });
    }
    return {
      width: width, height: 220, series: series, scales: scales, axes: axes, legend: { live: true },
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), zone); }
    };
  }

  function plotWidth(figure) { return Math.max(280, figure.clientWidth - 8); }

  function lastIndexWithValues(data) {
    for (var i = data[0].length - 1; i >= 0; i--) {
      for (var s = 1; s < data.length; s++) if (data[s][i] != null) return i;
    }
    return data[0].length ? data[0].length - 1 : null;
  }

  function describe(chart, data, zone, groupBy) {
    var text = chart.series.map(function (s, i) {
      var values = data[i + 1].filter(function (v) { return v != null; });
      if (chart.kind === 'count') return s.label + ' ' + values.reduce(function (a, b) { return a + b; }, 0) + ' in all';
      return s.label + ' ' + (values.length ? (s.format || FORMATS[chart.kind])(values[values.length - 1]) + ' at the latest point' : 'no data');
    }).join(', ');
    return data[0].length + ' points by ' + groupBy + ' (' + zone + '): ' + text;
  }

  function dataTable(chart, data, zone, groupBy) {
    var table = document.createElement('table');
    var head = table.createTHead().insertRow();
    ['Start'].concat(chart.series.map(function (s) { return s.label; })).forEach(function (label) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data[0].forEach(function (x, i) {
      var tr = body.insertRow();
      tr.insertCell().textContent = startLabel(x, zone, groupBy);
      chart.series.forEach(function (s, j) { tr.insertCell().textContent = (s.format || FORMATS[chart.kind])(data[j + 1][i]); });
    });
    return table;
  }

  function draw(chart, data, zone, groupBy) {
    var figure = document.querySelector('figure[data-chart="' + chart.name + '"]');
    var plot = figure.querySelector('.plot');
    var key = zone + '|' + groupBy + '|' + data[0].length;
    var u = charts[chart.name];
    if (u && u.helpdeskKey === key) {
      u.setData(data);
    } else {
      if (u) u.destroy();
      plot.textContent = '';
      u = new uPlot(options(chart, plotWidth(figure), zone, groupBy, data[0].length), data, plot);
      u.helpdeskKey = key;
      charts[chart.name] = u;
    }
    // the legend shows the latest point until the pointer chooses another (after uPlot's own batched redraw)
    var last = lastIndexWithValues(data);
    if (last != null) setTimeout(function () { if (charts[chart.name] === u) u.setLegend({ idx: last }); }, 0);
    plot.setAttribute('aria-label', figure.querySelector('figcaption').textContent + ': ' + describe(chart, data, zone, groupBy));
    var details = figure.querySelector('details');
    if (!details) {
      details = document.createElement('details');
      details.appendChild(document.createElement('summary')).textContent = 'Data';
      figure.appendChild(details);
    }
    var old = details.querySelector('table');
    if (old) old.remove();
    details.appendChild(dataTable(chart, data, zone, groupBy));
  }

  function showSummary(summary) {
    var values = {
      'ticketsCreated': count(summary.ticketsCreated),
      'ticketsResolved': count(summary.ticketsResolved),
      'ticketsReopened': count(summary.ticketsReopened),
      'firstResponseSeconds.median': duration(summary.firstResponseSeconds.median),
      'firstResponseSeconds.p90': duration(summary.firstResponseSeconds.p90),
      'resolutionSeconds.median': duration(summary.resolutionSeconds.median),
      'resolutionSeconds.p90': duration(summary.resolutionSeconds.p90),
      'sla.firstResponse.metShare': slaText(summary.sla.firstResponse),
      'sla.resolution.metShare': slaText(summary.sla.resolution),
      'csat.average': summary.csat.answers ? score(summary.csat.average) + ' (' + summary.csat.answers + ' answers)' : '–',
      'csat.satisfiedShare': percent(summary.csat.satisfiedShare),
      'backlog': summary.backlog.open + ' open · ' + summary.backlog.pending + ' pending · ' + summary.backlog.unassigned + ' unassigned'
    };
    Object.keys(values).forEach(function (field) {
      document.querySelector('#analytics-summary [data-field="' + field + '"]').textContent = values[field];
    });
  }

  function slaText(clock) {
    var total = clock.met + clock.breached;
    return total ? percent(share(clock.met, clock.breached)) + ' (' + clock.met + ' of ' + total + ')' : '–';
  }

  function agentLabel(id) { return names[id] || String(id).substring(0, 8); }

  function showAgents(breakdown) {
    lastBreakdown = breakdown;
    var body = $('analytics-agents');
    body.textContent = '';
    if (breakdown instanceof Error) {
      var cell = body.insertRow().insertCell();
      cell.colSpan = 7;
      cell.textContent = 'Not available: ' + breakdown.message;
      return;
    }
    var rows = breakdown.rows.slice().sort(function (a, b) {
      return (b.ticketsResolved - a.ticketsResolved) || agentLabel(a.key).localeCompare(agentLabel(b.key));
    });
    if (!rows.length) {
      var empty = body.insertRow().insertCell();
      empty.colSpan = 7;
      empty.textContent = 'No agent figures in this range.';
      return;
    }
    rows.forEach(function (row) {
      var tr = body.insertRow();
      tr.dataset.agentId = row.key;
      var name = document.createElement('th');
      name.scope = 'row';
      name.textContent = agentLabel(row.key);
      name.title = row.key;
      tr.appendChild(name);
      var sla = share(row.sla.firstResponse.met + row.sla.resolution.met, row.sla.firstResponse.breached + row.sla.resolution.breached);
      [count(row.ticketsCreated), count(row.ticketsResolved), duration(row.firstResponseSeconds.median),
        duration(row.resolutionSeconds.median), percent(sla),
        row.csat.answers ? score(row.csat.average) + ' (' + row.csat.answers + ')' : '–'].forEach(function (text) {
        tr.insertCell().textContent = text;
      });
    });
  }

  function status(text, isError) {
    var element = $('analytics-status');
    element.textContent = text;
    element.className = isError ? 'hint error' : 'hint';
  }

  // ---- loading

  function visible() { return !$('analytics-view').hidden; }

  function load() {
    if (!session) return Promise.resolve();
    if (!visible()) { loaded = false; return Promise.resolve(); } // shown later: loads then
    if (loading) { loadAgain = true; return loading; }
    var view = $('analytics-view');
    var zone = $('analytics-zone').value.trim();
    if (!validZone(zone)) {
      status('Unknown time zone "' + zone + '": use an IANA name such as Europe/Berlin.', true);
      view.dataset.state = 'error';
      return Promise.resolve();
    }
    var groupBy = $('analytics-group-by').value;
    var query = range($('analytics-range').value, zone, Date.now());
    query.timeZone = zone;
    lastStart = Date.now();
    view.dataset.state = 'loading';
    var metrics = [];
    CHARTS.forEach(function (chart) { metricsOf(chart).forEach(function (m) { if (metrics.indexOf(m) < 0) metrics.push(m); }); });
    loading = Promise.all([
      get('/api/v1/analytics/summary', query),
      Promise.all(metrics.map(function (metric) {
        return get('/api/v1/analytics/timeseries', Object.assign({ metric: metric, groupBy: groupBy }, query));
      })),
      get('/api/v1/analytics/breakdown', Object.assign({ by: 'agent' }, query)).catch(function (error) { return error; })
    ]).then(function (results) {
      var answers = {};
      metrics.forEach(function (metric, i) { answers[metric] = results[1][i]; });
      showSummary(results[0]);
      CHARTS.forEach(function (chart) { draw(chart, seriesData(chart, answers), zone, groupBy); });
      showAgents(results[2]);
      $('summary-range').textContent = query.from + ' to ' + query.to + ' (' + zone + ')';
      view.dataset.query = new URLSearchParams(Object.assign({ groupBy: groupBy }, query)).toString();
      view.dataset.loads = String((parseInt(view.dataset.loads || '0', 10)) + 1);
      view.dataset.state = 'loaded';
      loaded = true;
      status('Updated ' + new Date().toLocaleTimeString() + '; follows the merchant\'s events.');
    }).catch(function (error) {
      view.dataset.state = 'error';
      status(error.status === 404 ? 'The analytics API is not available on this server.' : error.message, true);
    }).then(function () {
      loading = null;
      if (loadAgain) { loadAgain = false; return load(); }
    });
    return loading;
  }

  /** Refreshes after frames: every 2 s at most while they come, then a few follow-ups (see FOLLOW_UPS). */
  function plan() {
    clearTimeout(timer);
    timer = null;
    if (followStep >= FOLLOW_UPS.length || !session) return;
    var due = lastFrameAt + FOLLOW_UPS[followStep];
    if (pendingSince) due = Math.min(due, pendingSince + MIN_INTERVAL);
    due = Math.max(due, lastStart + MIN_INTERVAL);
    timer = setTimeout(function () {
      timer = null;
      var now = Date.now();
      pendingSince = 0;
      while (followStep < FOLLOW_UPS.length && lastFrameAt + FOLLOW_UPS[followStep] <= now) followStep++;
      load().then(plan);
    }, Math.max(0, due - Date.now()));
  }

  function onFrame(envelope) {
    if (!COUNTED.test(envelope.event)) return;
    lastFrameAt = Date.now();
    if (!pendingSince) pendingSince = lastFrameAt;
    followStep = 0;
    plan();
  }

  // ---- the view

  function select(view, chosen) {
    var analytics = view === 'analytics';
    $('live-view').hidden = analytics;
    $('analytics-view').hidden = !analytics;
    $('tab-live').setAttribute('aria-selected', String(!analytics));
    $('tab-analytics').setAttribute('aria-selected', String(analytics));
    if (chosen) history.replaceState(null, '', '#' + view);
    if (analytics && session) {
      if (!loaded) load();
      else resize();
    }
  }

  function resize() {
    CHARTS.forEach(function (chart) {
      var u = charts[chart.name];
      if (u) u.setSize({ width: plotWidth(document.querySelector('figure[data-chart="' + chart.name + '"]')), height: 220 });
    });
  }

  function fillZones() {
    if (!Intl.supportedValuesOf) return;
    var list = $('analytics-zones');
    Intl.supportedValuesOf('timeZone').forEach(function (zone) {
      var option = document.createElement('option');
      option.value = zone;
      list.appendChild(option);
    });
  }

  document.addEventListener('helpdesk:connected', function (event) {
    session = event.detail;
    loaded = false;
    $('analytics-scope').textContent = session.agentId ? 'your own figures (agent key)' : 'the whole merchant';
    if (visible()) load();
  });
  document.addEventListener('helpdesk:disconnected', function () {
    session = null;
    clearTimeout(timer);
    followStep = FOLLOW_UPS.length;
  });
  document.addEventListener('helpdesk:agents', function (event) {
    names = event.detail.names;
    if (lastBreakdown) showAgents(lastBreakdown);
  });
  document.addEventListener('helpdesk:event', function (event) { onFrame(event.detail); });

  $('tab-live').addEventListener('click', function () { select('live', true); });
  $('tab-analytics').addEventListener('click', function () { select('analytics', true); });
  $('analytics-range').addEventListener('change', function () {
    $('analytics-group-by').value = RANGES[$('analytics-range').value].groupBy;
    load();
  });
  $('analytics-group-by').addEventListener('change', load);
  $('analytics-zone').addEventListener('change', load);
  $('analytics-form').addEventListener('submit', function (event) {
    event.preventDefault();
    load();
  });
  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(resize, 200);
  });

  $('analytics-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  fillZones();
  select(location.hash === '#analytics' ? 'analytics' : 'live');

  // for the console's tests and for a curious developer's DevTools
  window.HelpdeskAnalytics = { charts: charts, refresh: load };
})();
