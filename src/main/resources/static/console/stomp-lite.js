/*
 * A tiny STOMP 1.2 client over a native WebSocket: CONNECT (with extra headers), SUBSCRIBE,
 * UNSUBSCRIBE, DISCONNECT, heart-beats, MESSAGE/ERROR/RECEIPT dispatch. Enough for the live console.
 */
(function (global) {
  'use strict';

  function escapeHeader(value) {
    return String(value).replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
  }

  function unescapeHeader(value) {
    return value.replace(/\\(.)/g, function (_, c) {
      return c === 'c' ? ':' : c === 'n' ? '\n' : c === 'r' ? '\r' : c;
    });
  }

  function encode(command, headers, body) {
    var lines = [command];
    var escape = command !== 'CONNECT' && command !== 'STOMP';
    Object.keys(headers || {}).forEach(function (name) {
      lines.push((escape ? escapeHeader(name) : name) + ':' + (escape ? escapeHeader(headers[name]) : headers[name]));
    });
    return lines.join('\n') + '\n\n' + (body || '') + '\0';
  }

  function decode(text) {
    var frame = text.replace(/^[\r\n]+/, '');
    if (!frame) return null;
    var split = frame.indexOf('\n\n');
    var head = split < 0 ? frame : frame.substring(0, split);
    var body = split < 0 ? '' : frame.substring(split + 2);
    var lines = head.split(/\r?\n/);
    var command = lines.shift();
    var unescape = command !== 'CONNECTED';
    var headers = {};
    lines.forEach(function (line) {
      var colon = line.indexOf(':');
      if (colon < 0) return;
      var name = line.substring(0, colon);
      var value = line.substring(colon + 1);
      if (unescape) { name = unescapeHeader(name); value = unescapeHeader(value); }
      if (!(name in headers)) headers[name] = value;
    });
    return { command: command, headers: headers, body: body };
  }

  function StompLite(url) {
    this.url = url;
    this.subscriptions = {};
    this.nextId = 0;
    this.onconnect = function () {};
    this.onerror = function () {};
    this.onclose = function () {};
  }

  StompLite.prototype.connect = function (headers) {
    var self = this;
    var buffer = '';
    self.socket = new WebSocket(self.url);
    self.socket.onopen = function () {
      var connect = Object.assign({ 'accept-version': '1.2', host: location.hostname, 'heart-beat': '10000,10000' }, headers);
      self.socket.send(encode('CONNECT', connect));
    };
    self.socket.onmessage = function (event) {
      buffer += event.data;
      var end;
      while ((end = buffer.indexOf('\0')) >= 0) {
        var frame = decode(buffer.substring(0, end));
        buffer = buffer.substring(end + 1);
        if (frame) self.dispatch(frame);
      }
    };
    self.socket.onclose = function (event) {
      clearInterval(self.pinger);
      self.onclose(event);
    };
  };

  StompLite.prototype.dispatch = function (frame) {
    var self = this;
    if (frame.command === 'CONNECTED') {
      var beat = (frame.headers['heart-beat'] || '0,0').split(',');
      var interval = Math.max(10000, parseInt(beat[1], 10) || 0);
      if (parseInt(beat[1], 10) > 0) {
        self.pinger = setInterval(function () { if (self.socket.readyState === 1) self.socket.send('\n'); }, interval);
      }
      self.onconnect(frame);
    } else if (frame.command === 'MESSAGE') {
      var handler = self.subscriptions[frame.headers.subscription];
      if (handler) handler(frame);
    } else if (frame.command === 'ERROR') {
      self.onerror(frame);
    }
  };

  StompLite.prototype.subscribe = function (destination, handler) {
    var id = 'sub-' + (this.nextId++);
    this.subscriptions[id] = handler;
    this.socket.send(encode('SUBSCRIBE', { id: id, destination: destination }));
    return id;
  };

  StompLite.prototype.unsubscribe = function (id) {
    delete this.subscriptions[id];
    if (this.socket && this.socket.readyState === 1) this.socket.send(encode('UNSUBSCRIBE', { id: id }));
  };

  StompLite.prototype.disconnect = function () {
    if (this.socket && this.socket.readyState === 1) {
      this.socket.send(encode('DISCONNECT', {}));
      this.socket.close();
    }
  };

  global.StompLite = StompLite;
})(window);
