/**
 * EC2 XML rendering, driven by the model: `<{Action}Response xmlns=…><requestId/>…` with element names from
 * each member's locationName, lists as `<item>` children, absent optionals omitted. Errors use the
 * `<Response><Errors><Error>` envelope with `RequestID` (capital ID), which botocore's parser depends on.
 */
import { shape } from "./model/index.js";

const XML_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** Text content needs only &, < and > escaped; AWS leaves quotes as they are ("The vpc ID 'vpc-1' does not exist"). */
export const escapeXml = (text: string): string =>
  /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;")) : text;

/** EC2 timestamps: ISO-8601 UTC with milliseconds (2015-05-21T20:02:20.000Z). */
const formatTimestamp = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

const writeValue = (out: string[], shapeName: string, value: unknown): void => {
  const s = shape(shapeName);
  switch (s.type) {
    case "structure": {
      const obj = value as Record<string, unknown>;
      for (const [memberName, def] of Object.entries(s.members ?? {})) {
        const v = obj[memberName];
        if (v === undefined || v === null) continue;
        const el = def.locationName ?? memberName;
        out.push(`<${el}>`);
        writeValue(out, def.shape, v);
        out.push(`</${el}>`);
      }
      return;
    }
    case "list": {
      const item = s.member!.locationName ?? "item";
      for (const v of value as unknown[]) {
        out.push(`<${item}>`);
        writeValue(out, s.member!.shape, v);
        out.push(`</${item}>`);
      }
      return;
    }
    case "timestamp":
      out.push(formatTimestamp(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "blob":
      out.push(Buffer.from(value as Uint8Array).toString("base64"));
      return;
    default:
      out.push(escapeXml(String(value)));
  }
};

/** Renders a successful response. Actions without an output shape answer `<return>true</return>`, as EC2 does. */
export const renderSuccess = (action: string, outputShape: string | undefined, output: unknown, requestId: string): string => {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XML_NAMESPACE}"><requestId>${requestId}</requestId>`,
  ];
  if (outputShape) writeValue(out, outputShape, output ?? {});
  else out.push("<return>true</return>");
  out.push(`</${action}Response>`);
  return out.join("");
};

export const renderError = (code: string, message: string, requestId: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(
    message,
  )}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
