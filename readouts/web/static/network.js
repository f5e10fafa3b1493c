// The "who met whom" graph: fetches /api/network with the form's filters and draws it with vis-network.
// Names come from untrusted documents: they go into the graph as data (drawn on a canvas), never as HTML.
"use strict";

(function () {
  const form = document.getElementById("network-filters");
  const box = document.getElementById("network");
  const status = document.getElementById("network-status");
  const focus = new URLSearchParams(location.search).get("focus");

  function hue(code) {
    let h = 0;
    for (const ch of code || "") h = (h * 31 + ch.charCodeAt(0)) % 360;
    return h;
  }

  function params() {
    const p = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) p.set(el.name, el.value);
    return p;
  }

  async function load() {
    const p = params();
    status.textContent = "Loading…";
    for (const a of document.querySelectorAll(".downloads a")) {  // the files follow the filters shown
      a.href = a.pathname + (p.toString() ? "?" + p : "");
    }
    const resp = await fetch(box.dataset.api + "?" + p.toString());
    if (!resp.ok) {
      status.textContent = "Could not load the network (" + resp.status + ").";
      return;
    }
    const data = await resp.json();
    draw(data);
    const shown = data.edges.length < data.total_edges ? ` (the ${data.edges.length} strongest of ${data.total_edges})` : "";
    status.textContent = `${data.nodes.length} people, ${data.edges.length} links${shown}.`;
  }

  function draw(data) {
    const nodes = new vis.DataSet(data.nodes.map((n) => ({
      id: n.id,
      label: n.name,
      title: `${n.name}${n.country ? " (" + n.country + ")" : ""}: ${n.n_events} shared event(s)`,
      value: n.n_events,
      group: n.country || "?",
      color: n.country ? `hsl(${hue(n.country)}, 60%, 62%)` : "#bbb",
      country: n.country,
    })));
    const edges = new vis.DataSet(data.edges.map((e) => ({
      id: `${e.source}-${e.target}`, from: e.source, to: e.target, value: e.n_events,
      title: `${e.n_events} event(s) together`,
    })));
    const options = {
      nodes: { shape: "dot", scaling: { min: 6, max: 30 }, font: { size: 13, face: "system-ui, sans-serif" } },
      edges: { color: { color: "#9aa7b8", highlight: "#c0392b" }, scaling: { min: 1, max: 8 }, smooth: false },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 150 } },
      interaction: { hover: true, tooltipDelay: 150 },
    };
    if (window.readoutsNetwork) window.readoutsNetwork.network.destroy();
    const network = new vis.Network(box, { nodes, edges }, options);
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: false });
      if (focus && nodes.get(Number(focus))) network.selectNodes([Number(focus)]);
    });
    network.on("doubleClick", (ev) => { if (ev.nodes.length) location.href = "/persons/" + ev.nodes[0]; });
    network.on("click", (ev) => { if (ev.nodes.length) location.href = "/persons/" + ev.nodes[0]; });
    window.readoutsNetwork = { network, nodes, edges, data };
    box.dataset.nodes = String(data.nodes.length);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const p = params();
    history.replaceState(null, "", location.pathname + (p.toString() ? "?" + p : ""));
    load();
  });
  load();
})();
