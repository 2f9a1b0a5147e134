/**
 * The built-in AMI catalogue: a few public images with realistic fields, enough for RunInstances, Terraform's
 * `aws_instance` (which reads the root device name) and DescribeImages filters. The ids are localvpc's own and
 * are the same in every region.
 */
import type { Image } from "../protocol/model/shapes.js";

export interface ImageInfo {
  readonly imageId: string;
  readonly name: string;
  readonly description: string;
  readonly ownerId: string;
  readonly ownerAlias: string;
  readonly architecture: "i386" | "x86_64" | "arm64" | "x86_64_mac" | "arm64_mac";
  readonly platformDetails: string;
  readonly rootDeviceName: string;
  readonly creationDate: string;
  readonly virtualizationType: "hvm" | "paravirtual";
  /** The root volume's size in GiB when the image says (registered and loaded images); else 8, or 30 for Windows. */
  readonly rootVolumeSize?: number | undefined;
  /** The root volume's snapshot when the image says; else derived from the image id. */
  readonly rootSnapshotId?: string | undefined;
  /** The image exactly as DescribeImages shows it (`--images FILE` entries, registered images); else built from the fields. */
  readonly view?: Image | undefined;
}

export const BUILTIN_IMAGES: readonly ImageInfo[] = [
  {
    imageId: "ami-0a1b2c3d4e5f60001",
    name: "al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64",
    description: "Amazon Linux 2023 AMI 2023.6.20241111.0 x86_64 HVM kernel-6.1",
    ownerId: "137112412989",
    ownerAlias: "amazon",
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    rootDeviceName: "/dev/xvda",
    creationDate: "2024-11-11T19:56:31.000Z",
    virtualizationType: "hvm",
  },
  {
    imageId: "ami-0a1b2c3d4e5f60002",
    name: "al2023-ami-2023.6.20241111.0-kernel-6.1-arm64",
    description: "Amazon Linux 2023 AMI 2023.6.20241111.0 arm64 HVM kernel-6.1",
    ownerId: "137112412989",
    ownerAlias: "amazon",
    architecture: "arm64",
    platformDetails: "Linux/UNIX",
    rootDeviceName: "/dev/xvda",
    creationDate: "2024-11-11T19:56:33.000Z",
    virtualizationType: "hvm",
  },
  {
    imageId: "ami-0a1b2c3d4e5f60003",
    name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241109",
    description: "Canonical, Ubuntu, 24.04, amd64 noble image",
    ownerId: "099720109477",
    ownerAlias: "",
    architecture: "x86_64",
    platformDetails: "Linux/UNIX",
    rootDeviceName: "/dev/sda1",
    creationDate: "2024-11-09T08:14:50.000Z",
    virtualizationType: "hvm",
  },
  {
    imageId: "ami-0a1b2c3d4e5f60004",
    name: "Windows_Server-2022-English-Full-Base-2024.11.13",
    description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
    ownerId: "801119661308",
    ownerAlias: "amazon",
    architecture: "x86_64",
    platformDetails: "Windows",
    rootDeviceName: "/dev/sda1",
    creationDate: "2024-11-13T07:42:12.000Z",
    virtualizationType: "hvm",
  },
];
