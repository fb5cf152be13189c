// Generates the EU Member States map (SVG paths) from Natural Earth 1:50m
// via world-atlas (ISC), projected with a conic equal-area projection.
import fs from 'node:fs';
import {feature} from 'topojson-client';
import {geoConicEqualArea, geoPath} from 'd3-geo';
const topo = JSON.parse(fs.readFileSync('node_modules/world-atlas/countries-50m.json'));
const all = feature(topo, topo.objects.countries).features;
// ISO 3166-1 numeric → EU country code (EL for Greece).
const eu = {'040':'AT','056':'BE','100':'BG','196':'CY','203':'CZ','276':'DE','208':'DK','233':'EE','300':'EL','724':'ES','246':'FI','250':'FR','191':'HR','348':'HU','372':'IE','380':'IT','440':'LT','442':'LU','428':'LV','470':'MT','528':'NL','616':'PL','620':'PT','642':'RO','752':'SE','705':'SI','703':'SK'};
const feats = all.filter(f => eu[f.id]);
// Clip far-away territories (French overseas, Canary Islands stay in view? no: crop to Europe).
const W = 800, H = 700;
const proj = geoConicEqualArea().parallels([43, 62]).rotate([-10, 0]).center([0, 53.5]).scale(1000).translate([W/2, H/2]);
const path = geoPath(proj);
const out = {};
for (const f of feats) {
  // Keep only the polygons inside the European frame.
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const kept = polys.filter(p => p[0].every(([lon, lat]) => lon > -25 && lon < 45 && lat > 33 && lat < 72));
  const d = path({type: 'MultiPolygon', coordinates: kept});
  out[eu[f.id]] = d.replace(/(\d+\.\d)\d+/g, '$1');
}
console.log(Object.keys(out).length, 'member states');
fs.writeFileSync(process.argv[2] || 'eu-member-states.json', JSON.stringify(out));
