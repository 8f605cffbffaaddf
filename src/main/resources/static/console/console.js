(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var client = null; // a StompJs.Client (@stomp/stompjs, from its WebJar): reconnects by itself until deactivated
  var merchantId = null;
  var apiKey = null;
  var roomTicketId = null; // the room watched, subscribed again after a reconnect
  var roomSubscription = null;
  var attempts = 0; // connection attempts since the last CONNECTED
  var seen = new Set();
  var tickets = {};
  var agents = {}; // agent id -> name, from GET /api/v1/agents
  var agentsAsked = new Set();

  // the Analytics view (analytics.js) listens to these: helpdesk:connected, helpdesk:event, helpdesk:agents, helpdesk:disconnected
  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent('helpdesk:' + name, { detail: detail }));
  }

  // kind: disconnected, connecting, connected, reconnecting or error (the badge's data-state and colour)
  function setState(kind, text) {
    var state = $('state');
    state.textContent = text || kind;
    state.className = 'state ' + kind;
    state.dataset.state = kind;
    state.title = kind === 'reconnecting' ? 'The connection was lost; the console connects again by itself' : '';
  }

  function setButtons(active, connected) {
    $('connect').disabled = active;
    $('disconnect').disabled = !active;
    $('watch').disabled = !connected;
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
      document.querySelectorAll('.log .agent').forEach(function (agent) {
        agent.textContent = ' ' + agentName(agent.dataset.agentId);
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
    var agentId = envelope.data && (envelope.data.agentId || envelope.data.assigneeId);
    if (agentId) {
      var agent = document.createElement('span');
      agent.className = 'agent';
      agent.dataset.agentId = agentId;
      agent.textContent = ' ' + agentName(agentId);
      item.appendChild(agent);
    }
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

  // fields.version: the ticket's version the fields are of (a frame's ticketVersion, a listing's version); older
  // fields than the row shows are dropped, so a re-read after a reconnect and the frames around it agree
  function show(ticketId, fields) {
    var tr = row(ticketId);
    if (fields.version != null) {
      if (tr.dataset.version && Number(tr.dataset.version) > fields.version) return;
      tr.dataset.version = fields.version;
    }
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
    var fields = { last: envelope.event, version: envelope.ticketVersion };
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

  // the first page of tickets, also after a reconnect: what changed while the console was away
  function loadTickets() {
    fetch('/api/v1/tickets?size=100', { headers: { Authorization: 'Bearer ' + apiKey } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (page) {
        page.items.slice().reverse().forEach(function (t) {
          show(t.id, { number: t.number, subject: t.subject, status: t.status, priority: t.priority,
            assigneeId: t.assigneeId, version: t.version });
        });
      });
  }

  function subscribeRoom() {
    var roomSeen = new Set();
    roomSubscription = client.subscribe('/topic/helpdesk/' + roomTicketId, function (frame) {
      var id = frame.headers['event-id'];
      if (id && roomSeen.has(id)) return;
      if (id) roomSeen.add(id);
      log($('room-events'), JSON.parse(frame.body));
    });
  }

  function watch(ticketId) {
    if (!client || !client.connected || !merchantId) return;
    if (roomSubscription) roomSubscription.unsubscribe();
    roomTicketId = String(ticketId).trim();
    $('room-ticket').value = roomTicketId;
    $('room-events').textContent = '';
    $('room-name').textContent = 'Watching /topic/helpdesk/' + roomTicketId;
    subscribeRoom();
  }

  function connect(key) {
    if (client) client.deactivate();
    apiKey = key;
    sessionStorage.setItem('helpdesk.apiKey', key);
    attempts = 0;
    roomTicketId = null;
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var connectedOnThisSocket = false;
    var stomp = new StompJs.Client({
      brokerURL: scheme + location.host + '/ws',
      connectHeaders: { Authorization: 'Bearer ' + key },
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
      connectionTimeout: 10000,
      // after a lost connection: again in 1 s, then 2, 4, 8, and every 10 s
      reconnectDelay: 1000,
      maxReconnectDelay: 10000,
      reconnectTimeMode: StompJs.ReconnectionTimeMode.EXPONENTIAL
    });
    client = stomp;
    stomp.beforeConnect = function () {
      connectedOnThisSocket = false;
      attempts++;
      if (attempts === 1) setState('connecting');
    };
    stomp.onConnect = function (frame) {
      if (client !== stomp) return;
      connectedOnThisSocket = true;
      attempts = 0;
      var user = (frame.headers['user-name'] || '').split(':');
      merchantId = user[0];
      $('merchant').textContent = 'merchant ' + merchantId;
      stomp.subscribe('/topic/observation/helpdesk/' + merchantId, onMerchantEvent);
      if (roomTicketId) subscribeRoom();
      setState('connected');
      setButtons(true, true);
      loadAgents().catch(function () {}).then(loadTickets);
      announce('connected', { apiKey: apiKey, merchantId: merchantId, agentId: user[1] && user[1] !== 'admin' ? user[1] : null });
    };
    stomp.onStompError = function (frame) {
      if (client !== stomp) return;
      setState('error', 'error: ' + (frame.headers.message || frame.body));
      // refused at CONNECT (a wrong or revoked key): trying again would only be refused again
      if (!connectedOnThisSocket) {
        stomp.deactivate();
        setButtons(false, false);
      }
    };
    stomp.onWebSocketClose = function () {
      if (client !== stomp) return;
      var wasConnected = merchantId !== null;
      roomSubscription = null;
      merchantId = null;
      if (stomp.active) {
        setState('reconnecting', 'disconnected, reconnecting' + (attempts > 1 ? ' (attempt ' + attempts + ')' : ''));
        setButtons(true, false);
      } else {
        if ($('state').dataset.state !== 'error') setState('disconnected');
        setButtons(false, false);
      }
      if (wasConnected) announce('disconnected', {});
    };
    stomp.activate();
  }

  $('connect-form').addEventListener('submit', function (event) {
    event.preventDefault();
    connect($('api-key').value.trim());
  });
  $('disconnect').addEventListener('click', function () {
    if (!client) return;
    client.deactivate();
    // no socket to close while waiting for the next attempt: nothing else would say so
    setState('disconnected');
    setButtons(false, false);
  });
  $('room-form').addEventListener('submit', function (event) {
    event.preventDefault();
    watch($('room-ticket').value);
  });

  var saved = sessionStorage.getItem('helpdesk.apiKey');
  if (saved) $('api-key').value = saved;
})();
