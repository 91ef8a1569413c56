// One storage round trip, then one element: the least a popup that shows stored data must do.
const items = await chrome.storage.local.get(['floor']);
const p = document.createElement('p');
p.textContent = `ATRIP Stop-Ticket ${Object.keys(items).length}`;
document.getElementById('app').append(p);
