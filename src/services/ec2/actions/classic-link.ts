/**
 * ClassicLink, retired by AWS in 2023 with EC2-Classic. Its actions still exist in the API and tools still call them:
 * Ansible's ec2_vpc_net calls DescribeVpcClassicLink and treats exactly AWS's answer, "The functionality you requested
 * is not available in this region.", as "no ClassicLink here". So each answers that, whatever its parameters.
 */
import { err } from "../../../domain/errors.js";
import { defineAction } from "../action.js";

const retired = (): never => {
  throw err.classicLinkUnavailable();
};

export const CLASSIC_LINK_ACTIONS = [
  defineAction({ name: "DescribeVpcClassicLink", mutates: false, params: ["VpcIds", "Filters"], run: retired }),
  defineAction({ name: "DescribeVpcClassicLinkDnsSupport", mutates: false, params: ["VpcIds", "MaxResults", "NextToken"], run: retired }),
  defineAction({
    name: "DescribeClassicLinkInstances",
    mutates: false,
    params: ["InstanceIds", "Filters", "NextToken", "MaxResults"],
    run: retired,
  }),
  defineAction({ name: "EnableVpcClassicLink", mutates: true, params: ["VpcId"], run: retired }),
  defineAction({ name: "DisableVpcClassicLink", mutates: true, params: ["VpcId"], run: retired }),
  defineAction({ name: "EnableVpcClassicLinkDnsSupport", mutates: true, params: ["VpcId"], run: retired }),
  defineAction({ name: "DisableVpcClassicLinkDnsSupport", mutates: true, params: ["VpcId"], run: retired }),
  defineAction({ name: "AttachClassicLinkVpc", mutates: true, params: ["InstanceId", "VpcId", "Groups"], run: retired }),
  defineAction({ name: "DetachClassicLinkVpc", mutates: true, params: ["InstanceId", "VpcId"], run: retired }),
];
