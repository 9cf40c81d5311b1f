// The live tail of a topic's messages page: while its box is ticked, asks every 2 s for the records after those
// shown (with the page's filters) and adds them as rows, written as text, never as markup.
(function () {
  'use strict';
  var box = document.getElementById('tail');
  var table = document.querySelector('main table');
  if (!box || !table || !window.fetch) {
    return;
  }
  var positions = box.getAttribute('data-positions');
  var timer = null;

  function cell(row, text) {
    var td = document.createElement('td');
    var pre = document.createElement('pre');
    pre.textContent = text === null ? 'null' : String(text);
    td.appendChild(pre);
    row.appendChild(td);
  }

  function poll() {
    var query = new URLSearchParams(window.location.search);
    query.set('positions', positions);
    query.delete('notice');
    fetch(window.location.pathname + '/tail?' + query.toString(), { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        positions = data.positions;
        var body = table.tBodies[0];
        data.records.forEach(function (r) {
          var none = body.querySelector('td.none');
          if (none) {
            none.parentNode.remove();
          }
          var row = document.createElement('tr');
          [r.partition, r.offset, r.timestamp, r.key, r.value].forEach(function (v) { cell(row, v); });
          cell(row, r.headers.map(function (h) { return h.name + ': ' + (h.value === null ? 'null' : h.value); })
            .join('\n'));
          body.appendChild(row);
        });
      })
      .catch(function () { /* the next tick asks again */ });
  }

  box.addEventListener('change', function () {
    if (box.checked) {
      poll();
      timer = window.setInterval(poll, 2000);
    } else {
      window.clearInterval(timer);
    }
  });
}());
