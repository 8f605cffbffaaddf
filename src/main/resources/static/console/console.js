(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var client = null;
  var merchantId = null;
  var apiKey = null;
  var roomSubscription = null;
  var seen = new Set();
  var tickets = {};
  var agents = {}; // agent id -> name, from GET /api/v1/agents
  var agentsAsked = new Set();

  // the Analytics view (analytics.js) listens to these: helpdesk:connected, helpdesk:event, helpdesk:agents, helpdesk:disconnected
  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent('helpdesk:' + name, { detail: detail }));
  }

  function setState(text, kind) {
    var state = $('state');
    state.textContent = text;
    state.className = 'state ' + kind;
  }

  function short(id) { return id ? String(id).substring(0, 8) : ''; }

  function agentName(id) {
    if (!id) return '';
    if (agents[id]) return agents[id];
    if (!agentsAsked.has(id)) { agentsAsked.add(id); loadAgents().catch(function () {}); } // a new agent
    return short(id);
  }

  function loadAgents() {
    var names = {};
    function page(number) {
      return fetch('/api/v1/agents?size=100&page=' + number, { headers: { Authorization: 'Bearer ' + apiKey } })
        .then(function (response) { return response.ok ? response.json() : { items: [], totalItems: 0 }; })
        .then(function (list) {
          list.items.forEach(function (agent) { names[agent.id] = agent.name; });
          if ((number + 1) * 100 < list.totalItems && number < 50) return page(number + 1);
        });
    }
    return page(0).then(function () {
      agents = names;
      Object.keys(tickets).forEach(function (ticketId) {
        var cell = tickets[ticketId].querySelector('.c-assignee');
        if (cell.dataset.agentId) cell.textContent = agentName(cell.dataset.agentId);
      });
      announce('agents', { names: Object.assign({}, agents) });
    });
  }

  function time(iso) {
    var el = document.createElement('time');
    el.textContent = iso ? new Date(iso).toLocaleTimeString() : '';
    return el;
  }

  function log(list, envelope) {
    var item = document.createElement('li');
    var name = document.createElement('span');
    name.className = 'event';
    name.textContent = envelope.event;
    item.appendChild(time(envelope.occurredAt));
    item.appendChild(name);
    item.appendChild(document.createTextNode(' ' + (envelope.room || '') + ' ' + JSON.stringify(envelope.data)));
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 200) list.removeChild(list.lastChild);
  }

  function row(ticketId) {
    var tr = tickets[ticketId];
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.ticketId = ticketId;
      ['number', 'subject', 'status', 'priority', 'assignee', 'last'].forEach(function (name) {
        var td = document.createElement('td');
        td.className = 'c-' + name;
        if (name === 'status') {
          var pill = document.createElement('span');
          pill.className = 'status';
          td.appendChild(pill);
        }
        tr.appendChild(td);
      });
      tr.addEventListener('click', function () { watch(ticketId); });
      tickets[ticketId] = tr;
      $('tickets').insertBefore(tr, $('tickets').firstChild);
    }
    return tr;
  }

  function show(ticketId, fields) {
    var tr = row(ticketId);
    if (fields.number != null) tr.querySelector('.c-number').textContent = fields.number;
    if (fields.subject != null) {
      tr.querySelector('.c-subject').textContent = fields.subject;
      tr.querySelector('.c-subject').title = ticketId;
    }
    if (fields.status != null) {
      var pill = tr.querySelector('.status');
      pill.textContent = fields.status;
      pill.className = 'status ' + fields.status;
      tr.dataset.status = fields.status;
    }
    if (fields.priority != null) tr.querySelector('.c-priority').textContent = fields.priority;
    if (fields.assigneeId !== undefined) {
      var assignee = tr.querySelector('.c-assignee');
      assignee.dataset.agentId = fields.assigneeId || '';
      assignee.textContent = agentName(fields.assigneeId);
      assignee.title = fields.assigneeId || '';
    }
    if (fields.last != null) tr.querySelector('.c-last').textContent = fields.last;
    tr.classList.remove('flash');
    void tr.offsetWidth;
    tr.classList.add('flash');
  }

  function onMerchantEvent(frame) {
    var id = frame.headers['event-id'];
    if (id && seen.has(id)) return; // the outbox delivers at least once: drop a replayed event
    if (id) seen.add(id);
    var envelope = JSON.parse(frame.body);
    log($('merchant-events'), envelope);
    announce('event', envelope);
    if (!envelope.ticketId) return;
    var data = envelope.data || {};
    var fields = { last: envelope.event };
    if (envelope.event === 'ticket.created') {
      fields.number = data.number; fields.subject = data.subject; fields.status = data.status || 'OPEN';
      fields.priority = data.priority;
    } else if (envelope.event === 'ticket.status_changed') {
      fields.status = data.to;
    } else if (envelope.event === 'ticket.assigned') {
      fields.assigneeId = data.agentId;
    } else if (envelope.event === 'ticket.unassigned') {
      fields.assigneeId = null;
    }
    show(envelope.ticketId, fields);
  }

  function loadTickets() {
    fetch('/api/v1/tickets?size=100', { headers: { Authorization: 'Bearer ' + apiKey } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (page) {
        page.items.slice().reverse().forEach(function (t) {
          if (tickets[t.id]) return; // a live event already showed it
          show(t.id, { number: t.number, subject: t.subject, status: t.status, priority: t.priority, assigneeId: t.assigneeId });
        });
      });
  }

  function watch(ticketId) {
    if (!client || !merchantId) return;
    ticketId = String(ticketId).trim();
    if (roomSubscription) client.unsubscribe(roomSubscription);
    $('room-ticket').value = ticketId;
    $('room-events').textContent = '';
    $('room-name').textContent = 'Watching /topic/helpdesk/' + ticketId;
    var roomSeen = new Set();
    roomSubscription = client.subscribe('/topic/helpdesk/' + ticketId, function (frame) {
      var id = frame.headers['event-id'];
      if (id && roomSeen.has(id)) return;
      if (id) roomSeen.add(id);
      log($('room-events'), JSON.parse(frame.body));
    });
  }

  function connect(key) {
    apiKey = key;
    sessionStorage.setItem('helpdesk.apiKey', key);
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    client = new StompLite(scheme + location.host + '/ws');
    setState('connecting', 'connecting');
    client.onconnect = function (frame) {
      var user = (frame.headers['user-name'] || '').split(':');
      merchantId = user[0];
      $('merchant').textContent = 'merchant ' + merchantId;
      setState('connected', 'connected');
      $('connect').disabled = true;
      $('disconnect').disabled = false;
      $('watch').disabled = false;
      client.subscribe('/topic/observation/helpdesk/' + merchantId, onMerchantEvent);
      loadAgents().catch(function () {}).then(loadTickets);
      announce('connected', { apiKey: apiKey, merchantId: merchantId, agentId: user[1] && user[1] !== 'admin' ? user[1] : null });
    };
    client.onerror = function (frame) {
      setState('error: ' + (frame.headers.message || frame.body), 'error');
    };
    client.onclose = function () {
      if ($('state').className.indexOf('error') < 0) setState('disconnected', 'disconnected');
      $('connect').disabled = false;
      $('disconnect').disabled = true;
      $('watch').disabled = true;
      roomSubscription = null;
      merchantId = null;
      announce('disconnected', {});
    };
    client.connect({ Authorization: 'Bearer ' + key });
  }

  $('connect-form').addEventListener('submit', function (event) {
    event.preventDefault();
    connect($('api-key').value.trim());
  });
  $('disconnect').addEventListener('click', function () { if (client) client.disconnect(); });
  $('room-form').addEventListener('submit', function (event) {
    event.preventDefault();
    watch($('room-ticket').value);
  });

  var saved = sessionStorage.getItem('helpdesk.apiKey');
  if (saved) $('api-key').value = saved;
})();
