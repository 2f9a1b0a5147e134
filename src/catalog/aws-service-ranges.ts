/**
 * AWS's published service ranges as localvpc ships them (issue 21), for flow logs' `pkt-src-aws-service` /
 * `pkt-dst-aws-service`: every Region's EC2 blocks (data/ec2-public-ipv4.json) and the AWS-managed prefix lists
 * (data/aws-prefix-lists.json: S3, DynamoDB, EC2 Instance Connect, CloudFront), compiled once on first use.
 */
import { compileServiceRanges, serviceOfPrefixList, type ServiceRange, type ServiceRanges } from "../domain/aws-service-ranges.js";
import { allAwsPrefixLists } from "./aws-prefix-lists.js";
import { amazonPublicIpv4Union } from "./ec2-public-ipv4.js";

let compiled: ServiceRanges | undefined;

/** The compiled ranges (EC2 from the EC2 blocks, the prefix lists' services from their names). */
export const awsServiceRanges = (): ServiceRanges => {
  if (compiled) return compiled;
  const ranges: ServiceRange[] = amazonPublicIpv4Union().map((cidr) => ({ cidr, service: "EC2" }));
  for (const [name, cidrs] of Object.entries(allAwsPrefixLists())) {
    const service = serviceOfPrefixList(name);
    if (service !== undefined) for (const cidr of cidrs) ranges.push({ cidr, service });
  }
  compiled = compileServiceRanges(ranges);
  return compiled;
};
