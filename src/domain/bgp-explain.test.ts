/** Table tests for whyNotToAws (domain/bgp.ts): why the internet does not deliver an address to AWS. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { whyNotToAws, type Announcement, type Roa } from "./bgp.js";

const AWS_ROAS: Roa[] = [
  { prefix: "203.0.112.0/23", maxLength: 23, asn: 16509 },
  { prefix: "203.0.112.0/23", maxLength: 23, asn: 14618 },
];
const aws = (prefix: string): Announcement => ({ prefix, originAsn: 16509, network: "aws" });
const onprem = (prefix: string): Announcement => ({ prefix, originAsn: 64500, network: "onprem" });
const ONPREM_ROA: Roa = { prefix: "203.0.113.0/24", maxLength: 24, asn: 64500 };

describe("whyNotToAws", () => {
  const cases: { name: string; address: string; anns: Announcement[]; roas: Roa[]; want: string | undefined }[] = [
    { name: "AWS receives it", address: "203.0.113.10", anns: [aws("203.0.112.0/23")], roas: AWS_ROAS, want: undefined },
    { name: "nothing covers it (the caller says: not advertised)", address: "203.0.113.10", anns: [], roas: AWS_ROAS, want: undefined },
    {
      name: "a more specific on-premises prefix wins",
      address: "203.0.113.10",
      anns: [aws("203.0.112.0/23"), onprem("203.0.113.0/24")],
      roas: [...AWS_ROAS, ONPREM_ROA],
      want: "an on-premises announcement wins: 203.0.113.0/24 from AS64500 (RPKI Valid) is more specific than AWS's 203.0.112.0/23 (longest prefix match)",
    },
    {
      name: "outside the on-premises prefix AWS still receives",
      address: "203.0.112.20",
      anns: [aws("203.0.112.0/23"), onprem("203.0.113.0/24")],
      roas: [...AWS_ROAS, ONPREM_ROA],
      want: undefined,
    },
    {
      name: "the same prefix, on-premises preferred by AS path",
      address: "203.0.112.20",
      anns: [
        { ...aws("203.0.112.0/23"), asPathLength: 2 },
        { ...onprem("203.0.112.0/23"), asPathLength: 1 },
      ],
      roas: [...AWS_ROAS, { prefix: "203.0.112.0/23", maxLength: 23, asn: 64500 }],
      want: "an on-premises announcement wins: 203.0.112.0/23 from AS64500 (RPKI Valid) is preferred to AWS's announcement of the same prefix (shorter AS path, then lower ASN)",
    },
    {
      name: "only on-premises announces it",
      address: "203.0.113.10",
      anns: [onprem("203.0.113.0/24")],
      roas: [ONPREM_ROA],
      want: "only the on-premises network announces it (203.0.113.0/24 from AS64500 (RPKI Valid)), and AWS does not announce it",
    },
    {
      name: "AWS's announcement is RPKI Invalid",
      address: "203.0.113.10",
      anns: [aws("203.0.112.0/23")],
      roas: [{ prefix: "203.0.112.0/23", maxLength: 23, asn: 64500 }],
      want: "AWS's announcement of 203.0.112.0/23 from AS16509 is RPKI Invalid (no ROA authorizes that origin for it) and filtered",
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(whyNotToAws(c.address, c.anns, c.roas), c.want));
});
