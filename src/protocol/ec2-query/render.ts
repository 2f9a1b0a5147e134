/**
 * EC2 XML rendering, driven by the model: `<{Action}Response xmlns=…><requestId/>…` with element names from
 * each member's locationName, lists as `<item>` children, absent optionals omitted. Errors use the
 * `<Response><Errors><Error>` envelope with `RequestID` (capital ID), which botocore's parser depends on.
 */
import { shape } from "../model/index.js";

const XML_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

/**
 * What text content may not hold as is: `&`, `<` and `>` (escaped), and every character XML 1.0 forbids, which no
 * escape can carry (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates). Those are replaced
 * with U+FFFD, so that no stored value, even one stored before inputs were validated, can make an answer unparsable.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what XML 1.0 forbids
const XML_UNSAFE = /[&<>\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_UNSAFE_ALL = new RegExp(XML_UNSAFE.source, "g");

/** Text content: AWS leaves quotes as they are ("The vpc ID 'vpc-1' does not exist"). */
export const escapeXml = (text: string): string =>
  XML_UNSAFE.test(text)
    ? text.replace(XML_UNSAFE_ALL, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "\uFFFD"))
    : text;

/** EC2 timestamps: ISO-8601 UTC with milliseconds (2015-05-21T20:02:20.000Z). */
const formatTimestamp = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

/** Appends by string concatenation: V8's ropes make this much cheaper than collecting pieces and joining. */
class XmlOut {
  text = "";
  push(piece: string): void {
    this.text += piece;
  }
}

type Writer = (out: XmlOut, value: unknown) => void;

/**
 * One writer per shape, compiled from the model on first use and cached: a Describe of hundreds of instances walks
 * the same ~70-member Instance shape hundreds of times, so the per-value work is only the writing.
 */
const writers = new Map<string, Writer>();

const writerFor = (shapeName: string): Writer => {
  let w = writers.get(shapeName);
  if (!w) {
    // Placeholder first, so recursive shapes resolve to the cached writer.
    writers.set(shapeName, (out, v) => {
      writerFor(shapeName)(out, v);
    });
    w = compileWriter(shapeName);
    writers.set(shapeName, w);
  }
  return w;
};

const compileWriter = (shapeName: string): Writer => {
  const s = shape(shapeName);
  switch (s.type) {
    case "structure": {
      const members = Object.entries(s.members ?? {}).map(([memberName, def]) => {
        const el = def.locationName ?? memberName;
        // The member's writer, looked up on first use (not per value: a 1,000-ENI page writes ~20,000 members).
        // For a recursive shape that may be the placeholder, which still finds the compiled writer.
        const member: { memberName: string; open: string; close: string; shapeName: string; write?: Writer } = {
          memberName,
          open: `<${el}>`,
          close: `</${el}>`,
          shapeName: def.shape,
        };
        return member;
      });
      return (out, value) => {
        const obj = value as Record<string, unknown>;
        for (const m of members) {
          const v = obj[m.memberName];
          if (v === undefined || v === null) continue;
          out.push(m.open);
          (m.write ??= writerFor(m.shapeName))(out, v);
          out.push(m.close);
        }
      };
    }
    case "list": {
      // A list whose member has no locationName (InferenceDeviceInfoList) is `<member>` items on the wire, as the SDKs
      // and botocore read it (AWS CLI output shows its accelerators); EC2's other lists name theirs `item`.
      const item = s.member ? (s.member.locationName ?? "member") : "item";
      const open = `<${item}>`;
      const close = `</${item}>`;
      const memberShape = s.member?.shape ?? "String";
      return (out, value) => {
        const write = writerFor(memberShape);
        for (const v of value as unknown[]) {
          out.push(open);
          write(out, v);
          out.push(close);
        }
      };
    }
    case "timestamp":
      return (out, value) => out.push(formatTimestamp(value));
    case "boolean":
      return (out, value) => out.push(value ? "true" : "false");
    case "blob":
      return (out, value) => out.push(Buffer.from(value as Uint8Array).toString("base64"));
    default:
      return (out, value) => out.push(escapeXml(String(value)));
  }
};

/** Renders a successful response. Actions without an output shape answer `<return>true</return>`, as EC2 does. */
export const renderSuccess = (action: string, outputShape: string | undefined, output: unknown, requestId: string): string => {
  const out = new XmlOut();
  out.push(`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XML_NAMESPACE}"><requestId>${requestId}</requestId>`);
  if (outputShape) writerFor(outputShape)(out, output ?? {});
  else out.push("<return>true</return>");
  out.push(`</${action}Response>`);
  return out.text;
};

export const renderError = (code: string, message: string, requestId: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(
    message,
  )}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`;
