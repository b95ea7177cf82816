package dev.drydock.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Timeline} as one self-contained HTML page (inline CSS and script, nothing fetched): the faults as bands
 * across the time axis, a lane per node, pod, rollout and leader showing its states over time, API errors as marks,
 * and every entry in a table below (readable without the script). Open it in any browser.
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("timeline.html"), TimelineHtml.render("web survives a crash", List.of("seed 42"),
 *         cluster.timeline().entries(), cluster.timeline().dropped(), cluster.clock().now()));
 * }</pre>
 *
 * <p>The page's script draws the lanes from the entries that carry a state (see {@link Timeline#record}); the bands
 * are paired here ({@link #bands}): a fault from the entry that made it to the one that healed it, or to the end of
 * the page while it is still in force.
 */
public final class TimelineHtml {

    /** A fault over time: from {@code start} to {@code end}, or to the end of the page if {@code open}. */
    public record Band(String subject, String label, Instant start, Instant end, boolean open) {
    }

    private TimelineHtml() {
    }

    /**
     * The page.
     *
     * @param header  lines shown under the title (seed, how to rerun...)
     * @param dropped how many older entries the timeline let go, said on the page
     * @param end     the end of the time axis: when the report was made
     */
    public static String render(String title, List<String> header, List<Timeline.Entry> entries, long dropped,
                                Instant end) {
        Instant start = entries.isEmpty() ? end : entries.get(0).at();
        if (end.isBefore(start)) {
            end = start;
        }
        ObjectNode data = Json.object();
        data.put("start", millis(start)).put("end", millis(end));
        ArrayNode es = data.putArray("entries");
        for (Timeline.Entry e : entries) {
            ObjectNode o = es.addObject().put("at", millis(e.at())).put("kind", e.kind()).put("subject", e.subject())
                    .put("detail", e.detail());
            if (e.state() != null) {
                o.put("state", e.state());
            }
        }
        ArrayNode bs = data.putArray("bands");
        for (Band b : bands(entries, end)) {
            bs.addObject().put("subject", b.subject()).put("label", b.label()).put("start", millis(b.start()))
                    .put("end", millis(b.end())).put("open", b.open());
        }
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n<div id=\"header\">");
        for (String line : header) {
            h.append("<div class=\"line\">").append(escape(line)).append("</div>");
        }
        h.append("<div class=\"line\">").append(entries.size()).append(" timeline entries from ").append(start)
                .append(" to ").append(end);
        if (dropped > 0) {
            h.append(" (").append(dropped).append(" older entries dropped)");
        }
        h.append("</div></div>\n<div id=\"chart\"><div id=\"axis\"></div><div id=\"bands\"></div>"
                + "<div id=\"errors\"></div><div id=\"lanes\"></div></div>\n<h2>Entries</h2>\n<table id=\"entries\">"
                + "<tr><th>time</th><th>+s</th><th>kind</th><th>subject</th><th>state</th><th>detail</th></tr>\n");
        for (Timeline.Entry e : entries) {
            h.append("<tr class=\"k-").append(escape(e.kind())).append("\"><td>").append(e.at()).append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.3f",
                            (millis(e.at()) - millis(start)) / 1000.0))
                    .append("</td><td>").append(escape(e.kind())).append("</td><td>").append(escape(e.subject()))
                    .append("</td><td>").append(e.state() == null ? "" : escape(e.state())).append("</td><td>")
                    .append(e.detail() == null ? "" : escape(e.detail())).append("</td></tr>\n");
        }
        h.append("</table>\n<script type=\"application/json\" id=\"drydock-timeline\">").append(scriptSafe(data))
                .append("</script>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    /**
     * The faults among {@code entries} as bands: each from its entry to the entry that undid it on the same subject
     * ({@code healed X} after {@code X}, {@code restart} after {@code crash}, {@code uncordon} after {@code cordon},
     * {@code thaw} after {@code freeze}, {@code restart etcd-N} after {@code stop etcd-N}, the store's {@code heal}
     * after its link faults, {@code X stopped} after {@code X started}), open to {@code end} if nothing did; a fault
     * that is undone by nothing (a drain, a pick of scheduled chaos) is a band of no length.
     */
    public static List<Band> bands(List<Timeline.Entry> entries, Instant end) {
        // each band with the index of the entry that started it, to keep the timeline's order among equal times
        java.util.TreeMap<Integer, Band> bands = new java.util.TreeMap<>();
        java.util.Map<Timeline.Entry, Integer> index = new java.util.IdentityHashMap<>();
        List<Timeline.Entry> open = new ArrayList<>();
        for (Timeline.Entry e : entries) {
            index.put(e, index.size());
            if (!Timeline.FAULT.equals(e.kind())) {
                continue;
            }
            String d = e.detail() == null ? "" : e.detail();
            if (!isEnd(d)) {
                if (isInstant(d)) {
                    bands.put(index.get(e), new Band(e.subject(), d, e.at(), e.at(), false));
                } else {
                    open.add(e);
                }
                continue;
            }
            boolean matched = false;
            for (var it = open.iterator(); it.hasNext(); ) {
                Timeline.Entry s = it.next();
                String sd = s.detail() == null ? "" : s.detail();
                if (s.subject().equals(e.subject()) && ends(d, sd)) {
                    it.remove();
                    bands.put(index.get(s), new Band(s.subject(), sd, s.at(), e.at(), false));
                    matched = true;
                    if (!d.equals("heal")) {
                        break; // the store's heal ends all its link faults; every other end, one fault
                    }
                }
            }
            if (!matched) {
                bands.put(index.get(e), new Band(e.subject(), d, e.at(), e.at(), false));
            }
        }
        for (Timeline.Entry s : open) {
            bands.put(index.get(s), new Band(s.subject(), s.detail(), s.at(), end, true));
        }
        return List.copyOf(bands.values());
    }

    private static boolean isEnd(String d) {
        return d.startsWith("healed ") || d.equals("restart") || d.equals("uncordon") || d.equals("thaw")
                || d.startsWith("restart ") || d.equals("heal") || d.contains(" stopped after ");
    }

    /** Faults that last no time of their own. */
    private static boolean isInstant(String d) {
        return d.equals("drain") || d.startsWith("drain ") || d.startsWith("kill container ")
                || d.matches("schedule \\d+ pick .*");
    }

    private static boolean ends(String end, String start) {
        if (end.startsWith("healed ")) {
            return end.startsWith("healed " + start);
        }
        if (end.startsWith("restart ")) { // the store's "restart etcd-1 empty" ends its "stop etcd-1"
            String replica = end.substring("restart ".length()).split(" ")[0];
            return start.equals("stop " + replica);
        }
        int stopped = end.indexOf(" stopped after ");
        if (stopped > 0) {
            return start.startsWith(end.substring(0, stopped) + " started");
        }
        return switch (end) {
            case "restart" -> start.equals("crash") || start.equals("freeze") || start.startsWith("freeze ");
            case "uncordon" -> start.equals("cordon");
            case "thaw" -> start.equals("freeze") || start.startsWith("freeze ");
            case "heal" -> !start.startsWith("stop "); // stopped replicas stay stopped
            default -> false;
        };
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }

    /** JSON that cannot end the script element it sits in. */
    private static String scriptSafe(ObjectNode data) {
        try {
            return Json.MAPPER.writeValueAsString(data).replace("</", "<\\/").replace("<!--", "<\\!--");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the timeline as JSON", e);
        }
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
            h1{font-size:18px;margin:0 0 6px}h2{font-size:15px}
            #header .line{font-family:monospace;white-space:pre-wrap}
            #chart{position:relative;margin:12px 0;border:1px solid #ccc;padding:4px 0}
            #axis,#bands,#errors{position:relative;margin-left:260px;margin-right:8px}
            #axis{height:18px;border-bottom:1px solid #999}
            .tick{position:absolute;top:0;font-size:11px;color:#555;border-left:1px solid #999;padding-left:2px}
            .tick:last-child{transform:translateX(-100%);border-left:none;border-right:1px solid #999;
              padding:0 2px 0 0}
            #lanes{position:relative}
            .shade{position:absolute;top:0;bottom:0;z-index:1;background:rgba(220,50,50,.13);pointer-events:none;
              border-left:1px dashed rgba(200,40,40,.5);min-width:1px}
            #bands{min-height:4px}
            .band{position:relative;height:16px;margin:1px 0;background:rgba(220,50,50,.25);
              border-left:2px solid #c33;font-size:11px;white-space:nowrap;overflow:visible;min-width:2px}
            .band.open{background:repeating-linear-gradient(45deg,rgba(220,50,50,.25) 0 6px,rgba(220,50,50,.1) 6px 12px)}
            .band span{position:absolute;left:4px;top:1px}
            #errors{height:10px}
            .err{position:absolute;top:0;width:2px;height:10px;background:#b00}
            .lane{display:flex;align-items:center;height:18px;border-top:1px solid #eee}
            .lane .name{width:252px;padding-left:8px;font-family:monospace;font-size:11px;overflow:hidden;
              text-overflow:ellipsis;white-space:nowrap}
            .lane .track{position:relative;flex:1;height:14px;margin-right:8px}
            .seg{position:absolute;top:0;height:14px;font-size:10px;overflow:hidden;white-space:nowrap;
              border-left:1px solid #fff;box-sizing:border-box;padding-left:2px;color:#123}
            .s-good{background:#8fd19e}.s-wait{background:#ffe08a}.s-bad{background:#f19999}
            .s-gone{background:#ddd;color:#777}.s-done{background:#9cc3f0}.s-other{background:#c9b6f0}
            table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #eee;padding:1px 6px;
              text-align:left;vertical-align:top}td:nth-child(1){white-space:nowrap;font-family:monospace}
            tr.k-fault td{background:#fde8e8}tr.k-error td{color:#a00}
            """;

    private static final String SCRIPT = """
            (function(){
              var data=JSON.parse(document.getElementById('drydock-timeline').textContent);
              var t0=data.start, span=Math.max(1,data.end-data.start);
              function pct(t){return (100*(t-t0)/span)+'%';}
              function width(a,b){return Math.max(0,100*(b-a)/span)+'%';}
              function el(tag,cls,parent){var e=document.createElement(tag);if(cls)e.className=cls;
                if(parent)parent.appendChild(e);return e;}
              var axis=document.getElementById('axis');
              for(var i=0;i<=4;i++){var tk=el('div','tick',axis);tk.style.left=(i*25)+'%';
                tk.textContent='+'+(span*i/4000).toFixed(2)+'s';}
              var bands=document.getElementById('bands');
              data.bands.forEach(function(b){var d=el('div','band'+(b.open?' open':''),bands);
                d.style.left=pct(b.start);d.style.width=width(b.start,b.end);
                d.setAttribute('data-subject',b.subject);d.setAttribute('data-label',b.label);
                d.title=b.subject+': '+b.label+(b.open?' (still in force)':'');
                el('span',null,d).textContent=b.subject+': '+b.label;});
              var box=document.getElementById('lanes');
              function across(t){return 'calc(260px + (100% - 268px) * '+((t-t0)/span)+')';}
              data.bands.forEach(function(b){var sh=el('div','shade',box);sh.style.left=across(b.start);
                sh.style.width='calc((100% - 268px) * '+((b.end-b.start)/span)+')';});
              var errors=document.getElementById('errors');
              data.entries.forEach(function(e){if(e.kind!=='error')return;var m=el('div','err',errors);
                m.style.left=pct(e.at);m.title=e.subject+': '+e.detail;});
              var order={node:0,pod:1,rollout:2,leader:3};
              var lanes={},names=[];
              data.entries.forEach(function(e){if(e.state===undefined)return;
                if(!lanes[e.subject]){lanes[e.subject]={kind:e.kind,changes:[]};names.push(e.subject);}
                lanes[e.subject].changes.push(e);});
              names.sort(function(a,b){var ka=order[lanes[a].kind],kb=order[lanes[b].kind];
                ka=ka===undefined?9:ka;kb=kb===undefined?9:kb;return ka-kb||(a<b?-1:a>b?1:0);});
              function cls(kind,s){if(s==='Deleted'||s==='Terminating')return 's-gone';
                if(kind==='leader')return 's-other';
                if(s==='Ready'||s==='Running/Ready'||s==='Complete')return 's-good';
                if(s==='Succeeded')return 's-done';
                if(s==='Unknown'||s==='Failed'||s.indexOf('NotReady')===0&&kind==='node')return 's-bad';
                return 's-wait';}
              names.forEach(function(n){var lane=lanes[n];var row=el('div','lane',box);
                row.setAttribute('data-kind',lane.kind);row.setAttribute('data-subject',n);
                var name=el('div','name',row);name.textContent=n;name.title=n;
                var track=el('div','track',row);
                lane.changes.forEach(function(c,i){var next=i+1<lane.changes.length?lane.changes[i+1].at:data.end;
                  var s=el('div','seg '+cls(lane.kind,c.state),track);s.setAttribute('data-state',c.state);
                  s.style.left=pct(c.at);s.style.width=width(c.at,next);s.textContent=c.state;
                  s.title=n+': '+c.state+' ('+c.detail+')';});});
              var done=el('div',null,document.body);done.id='rendered';
              done.setAttribute('data-lanes',String(names.length));done.setAttribute('data-bands',
                String(data.bands.length));
            })();
            """;
}
